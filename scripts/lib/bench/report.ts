// The bench's results as a Markdown table (printed, stored beside the JSON, and kept as the
// "Latest full run" section of BENCHMARKS.md).
import fs from 'node:fs';
import type { PhaseResult } from './load';

export interface BenchReport {
  date: string;
  label?: string;
  /** partial: --only or --counts (printed, never recorded). */
  mode: 'smoke' | 'full' | 'partial';
  /** --only's phases, when given. */
  only?: string[];
  /** --counts' scale, when not 1. */
  countsScale?: number;
  machine: Record<string, unknown> & { nproc: number; memoryGiB: number; node: string; postgres: string; pgbench: string; loadAverageAtStart: number[] };
  settings: Record<string, unknown>;
  pgbench: Record<number, { tps: number; latencyMs: number; loadAverage: number }>;
  phases: PhaseResult[];
  /** Null when the burst phase did not run (--only); idleP95 and factor NaN when the reads did not. */
  portalDuringBurst: { idleP95: number; duringP95: number; factor: number } | null;
  verification: { payments: number; chains: number; ok: boolean };
  failures: string[];
}

const cell = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits));

export function renderTable(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `Run ${report.date}${report.label ? ` (${report.label})` : ''}, ${report.mode}${report.only ? ` (only ${report.only.join(', ')})` : ''}${report.countsScale ? ` at ${report.countsScale}× counts` : ''}: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, node ${m.node}, PostgreSQL ${m.postgres} (${report.settings.database}), ${m.pgbench}; load average at start ${m.loadAverageAtStart.join(' ')}.`,
    '',
    '| what | clients | requests | per second | × pgbench | p50 ms | p95 ms | p99 ms | errors | load avg |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [clients, result] of Object.entries(report.pgbench)) {
    lines.push(`| pgbench TPC-B (scale ${report.settings.pgbenchScale}) | ${clients} | – | ${cell(result.tps)} | 1 | – | – | – | 0 | ${cell(result.loadAverage, 2)} |`);
  }
  for (const phase of report.phases) {
    lines.push(
      `| ${phase.name} | ${phase.connections} | ${phase.requests} | ${cell(phase.throughput)} | ${cell(phase.ratioToPgbench, 3)} | ${cell(phase.p50)} | ${cell(phase.p95)} | ${cell(phase.p99)} | ${phase.errors} | ${cell(phase.loadAverage, 2)} |`,
    );
  }
  const burst = report.portalDuringBurst;
  lines.push(
    '',
    (burst ? `Portal during the burst: me.get p95 ${burst.duringP95} ms against ${cell(burst.idleP95)} ms idle (${cell(burst.factor, 2)}×). ` : '') +
      `Verified: ${report.verification.payments} payments each in exactly one terminal state, ${report.verification.chains} event chains.`,
  );
  return lines.join('\n');
}

const START = '<!-- bench:latest:start -->';
const END = '<!-- bench:latest:end -->';

/** Replaces the "Latest full run" block of BENCHMARKS.md (created if missing). */
export function updateBenchmarksFile(file: string, table: string): void {
  const block = `${START}\n${table}\n${END}`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n## Latest full run\n\n';
  const next = current.includes(START) ? current.replace(new RegExp(`${START}[\\s\\S]*?${END}`), block) : `${current.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
}

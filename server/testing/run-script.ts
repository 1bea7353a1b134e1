// Runs one of the repository's scripts (scripts/*.ts) as the shell would, as its own process
// through tsx, against the test database: what an operator types, with its exit code and output.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from './database';

/**
 * Runs `scripts/<name>.ts` with `args`, connected to the test database as owner and
 * migrator, its `.data/` in a fresh temporary directory that is removed afterwards. `env`
 * overrides those variables (and any other); a variable given as undefined is unset (e.g.
 * DATABASE_URL, to reach the embedded database under DIRECTPAY_DATA_DIR). Resolves with the
 * exit code (0 on success) and stdout followed by stderr; never rejects. Killed after 120 s
 * (tsx's start-up on a busy machine takes seconds).
 */
export async function runScript(name: string, args: string[] = [], options: { env?: Record<string, string | undefined> } = {}): Promise<{ code: number; output: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `directpay-${name}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testDatabaseUrl, MIGRATION_DATABASE_URL: testDatabaseUrl, DIRECTPAY_DATA_DIR: dataDir, ...options.env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  try {
    return await new Promise((resolve) => {
      execFile(
        'npx',
        ['tsx', '--conditions=react-server', `scripts/${name}.ts`, ...args],
        {
          cwd: path.resolve(import.meta.dirname, '../..'),
          env,
          timeout: 120_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
      );
    });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

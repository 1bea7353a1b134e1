// Processes that stop together. `npm run dev` and `npm start` run one runner process (the
// engine lives inside it) with Next and, without DATABASE_URL, PostgreSQL as its children.
// Whatever dies, nothing is left behind:
// - the runner dies, even by SIGKILL: the kernel signals each child (PR_SET_PDEATHSIG, set by
//   util-linux's `setpriv --pdeathsig` just before the child's program starts): Next gets
//   SIGTERM (its graceful stop), PostgreSQL SIGINT (fast shutdown);
// - a child dies: the runner stops the others and exits NON-ZERO, so a supervisor restarts it;
// - the runner's own parent dies (npm, a terminal, a test): the runner sees its parent change
//   and stops everything (`watchParent`).
// Each child runs in its own process group, so a terminal's Ctrl-C reaches only the runner,
// which stops them in order, and whatever a child started itself (next dev's server) goes with
// its group.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

let setprivPath: string | null | undefined;

/**
 * Spawns `command` in its own process group, set to receive `deathSignal` when this process
 * ends, however it ends (Linux, through `setpriv --pdeathsig`; elsewhere, or without
 * util-linux, only a clean stop of this process stops the child, and `warn` says so once).
 */
export function spawnTiedToParent(
  command: string,
  args: string[],
  options: SpawnOptions & { deathSignal: NodeJS.Signals; warn?: (line: string) => void },
): ChildProcess {
  const { deathSignal, warn, ...spawnOptions } = options;
  if (setprivPath === undefined) {
    setprivPath = process.platform === 'linux' ? findOnPath('setpriv') : null;
    if (!setprivPath) warn?.('setpriv (util-linux) not found: children will outlive this process if it is killed with SIGKILL');
  }
  if (!setprivPath) return spawn(command, args, { ...spawnOptions, detached: true });
  return spawn(setprivPath, ['--pdeathsig', deathSignal, '--', command, ...args], { ...spawnOptions, detached: true });
}

/** Sends `signal` to the child's whole process group (the child and whatever it started). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Stops a child: `signal` to it (to its group with `group`), SIGKILL to its group after
 * `graceMs`; once it has exited, SIGKILL to anything of its group still there.
 */
export async function stopChild(child: ChildProcess, options: { signal: NodeJS.Signals; group: boolean; graceMs: number }): Promise<void> {
  if (!hasExited(child)) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (options.group) signalGroup(child, options.signal);
    else child.kill(options.signal);
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), options.graceMs);
    await exited;
    clearTimeout(timer);
  }
  signalGroup(child, 'SIGKILL');
}

/** The exit code for a run that ended because a child ended: never 0 (a supervisor must restart it). */
export function failureExitCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code) return code;
  if (signal) return 128 + (os.constants.signals[signal] ?? 0);
  return 1;
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}

/** Whether something listens on `port` (any address), by trying to listen there ourselves. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/**
 * Waits until `port` is free: a previous run killed a moment ago may still be closing it.
 * Throws, naming the port, when it is still taken after `timeoutMs`.
 */
export async function waitForFreePort(port: number, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!(await portIsFree(port))) {
    if (Date.now() > deadline) throw new Error(`port ${port} is still in use after ${Math.round(timeoutMs / 1000)} s: stop whatever listens there or set PORT`);
    if (!told) log(`port ${port} is in use; waiting for it to be released…`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Calls `onGone` once if this process's parent ends (it is re-parented). */
export function watchParent(onGone: () => void, everyMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, everyMs);
  timer.unref();
}

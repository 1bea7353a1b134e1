// The browser the Playwright journeys run in: Debian's Chromium (Playwright's own download
// cannot reach its servers from our machines). `npm test` and `npm run test:e2e` install it
// when it is missing and they run as root; otherwise they print the one command to run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Where Debian's `chromium` package puts the browser. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium';

/** The browser Playwright launches: CHROMIUM_PATH, or Debian's. */
export function chromiumPath(source: NodeJS.ProcessEnv = process.env): string {
  return source.CHROMIUM_PATH || DEBIAN_CHROMIUM;
}

export type ChromiumPlan = { action: 'use' } | { action: 'install' } | { action: 'fail'; message: string };

/**
 * What to do about the browser at `path`: use it when it is there; install Debian's package
 * when that is the browser wanted, apt-get exists and we are root; otherwise fail, naming
 * the one command that fixes it.
 */
export function planChromium(options: { path: string; exists: (path: string) => boolean; isRoot: boolean }): ChromiumPlan {
  if (options.exists(options.path)) return { action: 'use' };
  if (options.path !== DEBIAN_CHROMIUM) {
    return { action: 'fail', message: `no browser at CHROMIUM_PATH=${options.path}: point it at a Chromium, or unset it and run \`sudo ${INSTALL_COMMAND}\`` };
  }
  if (!options.exists('/usr/bin/apt-get')) {
    return { action: 'fail', message: `no Chromium at ${DEBIAN_CHROMIUM} and no apt-get: install Chromium and set CHROMIUM_PATH to it` };
  }
  if (!options.isRoot) return { action: 'fail', message: `no Chromium at ${DEBIAN_CHROMIUM}: run \`sudo ${INSTALL_COMMAND}\`, then npm test again` };
  return { action: 'install' };
}

/** Runs Debian's installer for the `chromium` package (as root, non-interactive). True when it succeeded. */
export function installDebianChromium(log: (line: string) => void = console.log): boolean {
  log(`Chromium is missing: ${INSTALL_COMMAND}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) return false;
  }
  return true;
}

/**
 * Makes sure the browser is there, installing it if the plan says so. Returns an error
 * message, or null when the browser is ready.
 */
export function ensureChromium(options: { path?: string; exists?: (path: string) => boolean; isRoot?: boolean; install?: () => boolean } = {}): string | null {
  const path = options.path ?? chromiumPath();
  const exists = options.exists ?? fs.existsSync;
  const plan = planChromium({ path, exists, isRoot: options.isRoot ?? process.getuid?.() === 0 });
  if (plan.action === 'use') return null;
  if (plan.action === 'fail') return plan.message;
  const installed = (options.install ?? installDebianChromium)();
  if (!installed || !exists(path)) return `installing Chromium failed; run \`${INSTALL_COMMAND}\` by hand and look at its errors`;
  return null;
}

// Scratch directories for one test, removed when it ends (pass or fail).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A new directory under the OS's temporary directory, named `<prefix>…`, deleted with its files once the current test finishes. Call it inside a test. */
export function testTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

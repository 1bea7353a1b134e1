// .data/secrets.json as a person may leave it: copied world-readable, or cut short.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testTempDir } from '@/server/testing/temp-dir';

/** local-secrets.ts for a data directory of its own (DATA_DIR is read when the module loads). */
async function secretsIn(dir: string) {
  vi.resetModules();
  vi.stubEnv('DIRECTPAY_DATA_DIR', dir);
  return import('./local-secrets');
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('secrets.json', () => {
  it('is made once with mode 0600, and made private again (with a warning) when others could read it', async () => {
    const dir = testTempDir('directpay-secrets-');
    const { localSecrets } = await secretsIn(dir);
    const file = path.join(dir, 'secrets.json');
    const made = localSecrets();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.chmodSync(file, 0o644);
    const warnings: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line: string) => void warnings.push(line));
    expect(localSecrets({ create: false })).toEqual(made);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([expect.stringContaining(`${file} was readable by others (mode 644)`)]);
  });

  it('that is not a JSON object of strings is refused naming the file, and left as it was', async () => {
    const dir = testTempDir('directpay-secrets-');
    const { localSecrets, LocalSecretsError } = await secretsIn(dir);
    const file = path.join(dir, 'secrets.json');
    for (const text of ['{"NEXTAUTH_SECRET": ', '[]', 'null', '{"NEXTAUTH_SECRET": 5}']) {
      fs.writeFileSync(file, text, { mode: 0o600 });
      for (const create of [true, false]) {
        expect(() => localSecrets({ create }), text).toThrow(LocalSecretsError);
        expect(() => localSecrets({ create }), text).toThrow(`${file} cannot be used`);
      }
      expect(fs.readFileSync(file, 'utf8')).toBe(text);
    }
  });
});

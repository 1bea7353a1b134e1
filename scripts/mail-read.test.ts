// npm run mail:read as a process, on this file's database as the owner: the mail caught for one
// address (any letter case), newest first, and nothing of anyone else's; it refuses bad
// arguments naming them, and where there is no database or table it says so in one line and
// creates nothing.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@/server/testing/database';
import { runScript } from '@/server/testing/run-script';
import { testTempDir } from '@/server/testing/temp-dir';

const mailRead = (args: string[], env?: Record<string, string | undefined>) => runScript('mail-read', args, { env });

describe('npm run mail:read', () => {
  it("prints the mail caught for one address, newest first, and not anyone else's", { timeout: 180_000 }, async () => {
    const owner = new pg.Client({ connectionString: testDatabaseUrl });
    await owner.connect();
    try {
      const insert = 'insert into "CaughtMail" (id, "from", "to", subject, text, raw, "receivedAt") values (gen_random_uuid(), $1, $2, $3, $4, $5, $6)';
      await owner.query(insert, ['no-reply@directpay.test', ['ops@example.com'], 'Confirm your email address', 'Open http://localhost:3000/verify-email?token=first', 'raw', new Date('2026-11-30T10:00:00Z')]);
      await owner.query(insert, ['no-reply@directpay.test', ['Ops@Example.com'], 'Confirm your email address again', 'Open http://localhost:3000/verify-email?token=second', 'raw', new Date('2026-11-30T11:00:00Z')]);
      await owner.query(insert, ['no-reply@directpay.test', ['someone@example.com'], 'Not yours', 'secret=theirs', 'raw', new Date('2026-11-30T12:00:00Z')]);
    } finally {
      await owner.end();
    }

    const { code, output } = await mailRead(['OPS@example.com']);
    expect(code).toBe(0);
    expect(output).toContain('token=second');
    expect(output.indexOf('token=second')).toBeLessThan(output.indexOf('token=first'));
    expect(output).not.toContain('secret=theirs');

    expect(await mailRead(['nobody@example.com'])).toMatchObject({ code: 0, output: expect.stringContaining('No mail caught for nobody@example.com.') });
    expect(await mailRead([])).toMatchObject({ code: 2, output: expect.stringContaining('usage: npm run mail:read') });
  });

  it('refuses a count that is not a decimal whole number from 1 to 1000, and extra arguments, naming them', { timeout: 300_000 }, async () => {
    for (const count of ['1e308', '99999999999999999999', '0x2', '0', '1001', '-1', '2.5', ' 2']) {
      const { code, output } = await mailRead(['ops@example.com', count]);
      expect({ count, code }).toEqual({ count, code: 2 });
      expect(output).toContain(`count must be a whole number from 1 to 1000, got "${count}"`);
      expect(output).not.toMatch(/\n\s+at /);
    }
    const extra = await mailRead(['ops@example.com', '2', 'three']);
    expect(extra).toMatchObject({ code: 2, output: expect.stringContaining('unexpected argument after the count: "three"') });
    const notAnAddress = await mailRead(['ops.example.com']);
    expect(notAnAddress).toMatchObject({ code: 2, output: expect.stringContaining('"ops.example.com" is not an email address') });
    expect(await mailRead(['ops@example.com', '1000'])).toMatchObject({ code: 0 });
  });

  it('says there is no database, and creates nothing, where the data directory holds none', { timeout: 180_000 }, async () => {
    const dataDir = path.join(testTempDir('directpay-nodb-'), 'data');
    const { code, output } = await mailRead(['ops@example.com'], { DATABASE_URL: undefined, MIGRATION_DATABASE_URL: undefined, DIRECTPAY_DATA_DIR: dataDir });
    expect(output.trim()).toBe(`mail:read: no DirectPay database at ${dataDir} (run npm run dev or npm start first)`);
    expect(code).toBe(1);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('says in one line that the database has no CaughtMail table', { timeout: 180_000 }, async () => {
    const owner = new pg.Client({ connectionString: testDatabaseUrl });
    await owner.connect();
    const empty = `directpay_empty_${process.pid}`;
    await owner.query(`create database "${empty}"`);
    try {
      const emptyUrl = Object.assign(new URL(testDatabaseUrl), { pathname: `/${empty}` }).toString();
      const { code, output } = await mailRead(['ops@example.com'], { DATABASE_URL: emptyUrl, MIGRATION_DATABASE_URL: emptyUrl });
      expect(output.trim()).toMatch(/^mail:read: the database has no such table \(relation "CaughtMail" does not exist\): its migrations have not run/);
      expect(output.trim().split('\n')).toHaveLength(1);
      expect(code).toBe(1);
    } finally {
      await owner.query(`drop database if exists "${empty}" with (force)`);
      await owner.end();
    }
  });
});

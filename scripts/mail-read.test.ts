// npm run mail:read as a process, on this file's database as the owner: the mail caught for one
// address (any letter case), newest first, and nothing of anyone else's.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@/server/testing/database';
import { runScript } from '@/server/testing/run-script';

const mailRead = (args: string[]) => runScript('mail-read', args);

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
});

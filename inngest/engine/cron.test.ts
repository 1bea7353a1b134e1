// Cron schedules as Inngest reads them, and a cron trigger firing through the engine.
import { Inngest } from 'inngest';
import { describe, expect, it } from 'vitest';
import { CronError, parseCron } from './cron';
import { silentLogger, startInngestForTests, waitFor } from './testing';
import { listRuns } from './read';

const at = (iso: string) => Date.parse(iso);
const next = (cron: string, after: string) => new Date(parseCron(cron).next(at(after))).toISOString();

describe('parseCron', () => {
  it('finds the next minute matching steps, ranges and lists', () => {
    expect(next('*/5 * * * *', '2026-11-25T12:03:10Z')).toBe('2026-11-25T12:05:00.000Z');
    expect(next('*/5 * * * *', '2026-11-25T12:05:00Z')).toBe('2026-11-25T12:10:00.000Z');
    expect(next('15,45 8-10 * * *', '2026-11-25T10:50:00Z')).toBe('2026-11-26T08:15:00.000Z');
    expect(next('0 0 1 jan,jul *', '2026-11-25T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
  });

  it('reads the descriptors', () => {
    expect(next('@hourly', '2026-11-25T12:03:00Z')).toBe('2026-11-25T13:00:00.000Z');
    expect(next('@daily', '2026-11-25T12:03:00Z')).toBe('2026-11-26T00:00:00.000Z');
    expect(next('@weekly', '2026-11-25T12:03:00Z')).toBe('2026-11-29T00:00:00.000Z');
    expect(next('@every 90s', '2026-11-25T12:00:00Z')).toBe('2026-11-25T12:01:30.000Z');
  });

  it('fires when either the day of month or the weekday matches, if both are restricted', () => {
    // The 13th, or any Friday.
    expect(next('0 0 13 * 5', '2026-11-25T00:00:00Z')).toBe('2026-11-27T00:00:00.000Z');
    expect(next('0 0 13 * *', '2026-11-25T00:00:00Z')).toBe('2026-12-13T00:00:00.000Z');
    // Sunday written 7.
    expect(next('0 0 * * 7', '2026-11-25T00:00:00Z')).toBe('2026-11-29T00:00:00.000Z');
  });

  it('follows the TZ= time zone, including daylight saving changes', () => {
    // 09:00 in Paris is 08:00 UTC in winter; Friday 27 Nov 10:00 → Monday 30 Nov.
    expect(next('TZ=Europe/Paris 0 9 * * 1-5', '2026-11-27T09:00:00Z')).toBe('2026-11-30T08:00:00.000Z');
    // 02:30 does not exist in Paris on 29 March 2026 (clocks jump from 02:00 to 03:00).
    expect(next('TZ=Europe/Paris 30 2 * * *', '2026-03-28T12:00:00Z')).toBe('2026-03-30T00:30:00.000Z');
  });

  it('finds a leap day years away', () => {
    expect(next('0 0 29 2 *', '2026-11-25T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('refuses what Inngest refuses', () => {
    for (const bad of ['61 * * * *', '* * * *', '0 0 * * * *', 'TZ=Nowhere/Atlantis * * * * *', '*/0 * * * *', '5-1 * * * *', '@fortnightly']) {
      expect(() => parseCron(bad), bad).toThrow(CronError);
    }
  });
});

describe('cron trigger', () => {
  it('starts a run with the scheduled.timer event when the time comes', async () => {
    const client = new Inngest({ id: 'cron-test', logger: silentLogger });
    const everyMinute = client.createFunction({ id: 'every-minute', triggers: [{ cron: '* * * * *' }] }, async ({ event }) => event.data);
    // Run the engine's clock a second before the next whole minute, instead of waiting for it.
    const realStart = Date.now();
    const minute = Math.floor(realStart / 60_000 + 1) * 60_000;
    const offset = minute - 1_000 - realStart;
    const harness = await startInngestForTests({ client, functions: [everyMinute], engine: { now: () => Date.now() + offset } });
    try {
      const run = await waitFor(async () => (await listRuns(harness.db, { functionId: 'cron-test-every-minute' }))[0], 'the cron run', 10_000);
      const trace = await harness.waitForEnd(run.id);
      const scheduledAt = new Date(minute).toISOString().replace('.000Z', 'Z');
      expect(trace.eventName).toBe('inngest/scheduled.timer');
      expect(trace.output).toEqual({ cron: '* * * * *', scheduledAt, fireAt: scheduledAt });
      const { rows } = await harness.db.query<{ next_at: Date }>('select next_at from inngest_engine.crons');
      expect(rows[0]!.next_at.getTime()).toBe(minute + 60_000);
    } finally {
      await harness.stop();
    }
  });
});

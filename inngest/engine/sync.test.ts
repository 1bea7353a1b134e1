// Keeping the engine's view of the app's functions current when the app reloads. Its own
// file: a harness points the SDK (process.env) at its engine, one harness at a time.
import { Inngest } from 'inngest';
import { describe, expect, it } from 'vitest';
import { ConfigError, defineFunction } from './config';
import { silentLogger, startInngestForTests, waitFor } from './testing';

describe('keeping the app in sync', () => {
  const reloading = new Inngest({ id: 'reload-test', logger: silentLogger });
  const original = reloading.createFunction({ id: 'original', triggers: [{ event: 'test/reload' }] }, async ({ step }) => {
    await step.sleep('pause', '1s');
    return 'done';
  });
  const added = reloading.createFunction({ id: 'added', triggers: [{ event: 'test/added' }] }, async () => 'added');

  it('re-syncs when the app answers for a function it no longer has, and fails that run clearly', async () => {
    const reloadHarness = await startInngestForTests({ client: reloading, functions: [original] });
    try {
      const { ids } = await reloading.send({ name: 'test/reload', data: {} });
      const run = await waitFor(async () => (await reloadHarness.runsForEvent(ids[0]!))[0], 'the run');
      await waitFor(async () => (await reloadHarness.trace(run.id)).steps.some((step) => step.status === 'sleeping'), 'the sleep');
      // A reload renamed the function away: the app no longer knows this run's function.
      reloadHarness.setFunctions([added]);
      const trace = await reloadHarness.waitForEnd(run.id);
      expect(trace.status).toBe('failed');
      expect(trace.error).toMatchObject({ message: 'Function "reload-test-original" is no longer part of any synced app' });
      const { rows } = await reloadHarness.db.query<{ id: string }>("select id from inngest_engine.functions where app_id = 'reload-test'");
      expect(rows.map((row) => row.id)).toEqual(['reload-test-added']);
    } finally {
      await reloadHarness.stop();
    }
  });

  it('picks up functions added by a reload through the periodic re-sync', async () => {
    const reloadHarness = await startInngestForTests({ client: reloading, functions: [original], engine: { resyncIntervalMs: 100 } });
    try {
      reloadHarness.setFunctions([original, added]);
      await waitFor(async () => {
        const { rowCount } = await reloadHarness.db.query("select 1 from inngest_engine.functions where id = 'reload-test-added'");
        return rowCount === 1;
      }, 'the added function to be synced');
      const { ids } = await reloading.send({ name: 'test/added', data: {} });
      const run = await waitFor(async () => (await reloadHarness.runsForEvent(ids[0]!))[0], 'a run of the added function');
      expect((await reloadHarness.waitForEnd(run.id)).output).toBe('added');
    } finally {
      await reloadHarness.stop();
    }
  });
});

describe('function configs at sync', () => {
  it('refuses an expression nested past the parser\'s stack as unsupported, not as the engine\'s failure', () => {
    const config = {
      id: 'deep-priority',
      name: 'deep',
      triggers: [{ event: 'test/x' }],
      steps: { step: { id: 'step', name: 'step', runtime: { type: 'http', url: 'http://127.0.0.1:1/api/inngest' } } },
      priority: { run: `${'('.repeat(20_000)}600${')'.repeat(20_000)}` },
    };
    expect(() => defineFunction(config)).toThrow(ConfigError);
    expect(() => defineFunction(config)).toThrow(/priority\.run expression is not supported by the local engine: it is nested too deeply/);
    expect(defineFunction({ ...config, priority: { run: "event.data.rail == 'RTP' ? 600 : 0" } }).priority).toBe("event.data.rail == 'RTP' ? 600 : 0");
  });
});

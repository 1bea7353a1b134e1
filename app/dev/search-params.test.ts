// The operators' pages read their filters through searchParam: a NUL typed into the URL reaches
// the engine's and the catcher's queries as text PostgreSQL can hold (it answered a 500: found
// by a tester with /dev/inngest?concerns=x%00y, function=x%00, before=x%00).
import { describe, expect, it } from 'vitest';
import { engineDashboard } from '@/inngest/dashboard';
import { listCaughtMail } from '@/server/mail/caught';
import { runFilterOf } from './inngest/filters';
import { searchParam } from './search-params';

describe('searchParam', () => {
  it('reads the first value, trimmed; blank is absent; a NUL reads as U+FFFD', () => {
    expect(searchParam({ a: '  x ' }, 'a')).toBe('x');
    expect(searchParam({ a: ['first', 'second'] }, 'a')).toBe('first');
    expect(searchParam({ a: '   ' }, 'a')).toBeUndefined();
    expect(searchParam({}, 'a')).toBeUndefined();
    expect(searchParam({ a: 'x\u0000y\u0000' }, 'a')).toBe('x\uFFFDy\uFFFD');
  });

  it('a NUL in any filter of the runs, events and mail pages finds nothing instead of failing the query', async () => {
    const nul = { concerns: 'x\u0000y', function: 'x\u0000', before: 'x\u0000', name: 'x\u0000', to: 'a\u0000@example.com' };
    expect((await engineDashboard.runs(runFilterOf(nul))).runs).toEqual([]);
    expect(await engineDashboard.events({ name: searchParam(nul, 'name'), beforeId: searchParam(nul, 'before'), limit: 5 })).toEqual([]);
    expect(await listCaughtMail({ to: searchParam(nul, 'to') })).toEqual([]);
  });

  it('a range named like an object property or a date outside years 1–9999 is no filter, not a 500 (found by a tester)', async () => {
    for (const range of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(runFilterOf({ range }).range).toBeUndefined();
      await expect(engineDashboard.runs(runFilterOf({ range }))).resolves.toMatchObject({ runs: expect.any(Array) });
    }
    expect(runFilterOf({ range: '24h' }).range).toBe('24h');
    for (const from of ['-200000-01-01', '-099999-01-01', '+275760-01-01', '0000-01-01']) {
      expect(runFilterOf({ from, to: from })).toMatchObject({ from: undefined, to: undefined });
    }
    expect(runFilterOf({ from: '2026-11-30' }).from).toEqual(new Date('2026-11-30'));
  });
});

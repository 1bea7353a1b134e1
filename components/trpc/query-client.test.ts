import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { makeQueryClient } from './query-client';

/** How many times a query that always fails with `error` is asked before fetchQuery rejects (no delay between). */
async function attempts(where: 'browser' | 'server', error: unknown): Promise<number> {
  let calls = 0;
  const queryFn = () => {
    calls += 1;
    throw error;
  };
  await expect(makeQueryClient(where).fetchQuery({ queryKey: ['x'], queryFn, retryDelay: 0 })).rejects.toBe(error);
  return calls;
}

describe('makeQueryClient', () => {
  it('asks once on the server, whatever failed (a missing record had been asked three times, the page waiting 3 s)', async () => {
    expect(await attempts('server', new TRPCError({ code: 'NOT_FOUND' }))).toBe(1);
    expect(await attempts('server', new TRPCError({ code: 'INTERNAL_SERVER_ERROR' }))).toBe(1);
  });

  it('in the browser, asks a 4xx once and anything else three times', async () => {
    expect(await attempts('browser', Object.assign(new Error('no'), { data: { httpStatus: 404 } }))).toBe(1);
    expect(await attempts('browser', Object.assign(new Error('down'), { data: { httpStatus: 503 } }))).toBe(3);
  });
});

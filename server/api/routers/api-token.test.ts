import { describe, expect, it } from 'vitest';
import { apiAs, codeOf, createUser, routeFetch } from '@/server/testing/api';
import { db } from '@/server/db';

describe('personal API tokens', () => {
  it('authenticate a program as their owner with Authorization: Bearer, until revoked', async () => {
    const landlord = await createUser('LANDLORD');
    const portal = await apiAs(landlord);
    const created = await portal.apiToken.create.mutate({ name: 'accounting export' });
    expect(created.token).toMatch(/^dp_[0-9a-f]{8}_/);

    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).not.toContain(created.token);
    expect(JSON.stringify(await portal.apiToken.list.query())).not.toContain(created.token);

    const program = await apiAs(null, { authorization: `Bearer ${created.token}` });
    expect(await program.me.get.query()).toMatchObject({ id: landlord.id, role: 'LANDLORD' });

    await portal.apiToken.revoke.mutate({ id: created.id });
    expect(await codeOf(program.me.get.query())).toBe('UNAUTHORIZED');
  });

  it('plain HTTP works too: GET /api/trpc/me.get with a bearer token', async () => {
    const renter = await createUser('RENTER');
    const { token } = await (await apiAs(renter)).apiToken.create.mutate({ name: 'curl' });
    const response = await routeFetch('http://localhost:3000/api/trpc/me.get', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.result.data.json).toMatchObject({ id: renter.id, email: renter.email });
  });

  it("a token is nobody else's to revoke: NOT_FOUND", async () => {
    const owner = await createUser('RENTER');
    const other = await createUser('RENTER');
    const { id } = await (await apiAs(owner)).apiToken.create.mutate({ name: 'mine' });
    expect(await codeOf((await apiAs(other)).apiToken.revoke.mutate({ id }))).toBe('NOT_FOUND');
    expect(await codeOf((await apiAs(null)).apiToken.list.query())).toBe('UNAUTHORIZED');
    expect(await codeOf((await apiAs(owner)).apiToken.create.mutate({ name: '' }))).toBe('BAD_REQUEST');
  });

  it('an unknown or malformed bearer token is UNAUTHORIZED', async () => {
    for (const token of ['dp_00000000_nope', 'garbage', 'x'.repeat(500)]) {
      expect(await codeOf((await apiAs(null, { authorization: `Bearer ${token}` })).me.get.query())).toBe('UNAUTHORIZED');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { apiAs, codeOf, createUser, errorOf } from '@/server/testing/api';

describe('me.updateName', () => {
  it('changes the caller’s own name, trimmed, with a user.renamed event; the same name again records nothing', async () => {
    const user = await createUser('RENTER', { name: 'Old Name' });
    const api = await apiAs(user);
    expect(await api.me.updateName.mutate({ name: '  Ria Renter  ' })).toEqual({ id: user.id, email: user.email, name: 'Ria Renter', role: 'RENTER' });
    expect((await api.me.get.query()).name).toBe('Ria Renter');
    const events = await db.event.findMany({ where: { aggregateId: user.id, type: 'user.renamed' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: user.id, reason: 'was “Old Name”', data: expect.objectContaining({ name: 'Ria Renter' }) });
    await api.me.updateName.mutate({ name: 'Ria Renter' });
    expect(await db.event.count({ where: { aggregateId: user.id, type: 'user.renamed' } })).toBe(1);
  });

  it('refuses an empty, invisible or too long name and an anonymous caller, changing nothing', async () => {
    const user = await createUser('LANDLORD', { name: 'Lee Landlord' });
    const api = await apiAs(user);
    for (const name of ['', ' \u200b ', 'x'.repeat(101)]) {
      expect((await errorOf(api.me.updateName.mutate({ name }))).data).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { name: [expect.any(String)] } });
    }
    expect(await codeOf((await apiAs(null)).me.updateName.mutate({ name: 'Someone' }))).toBe('UNAUTHORIZED');
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe('Lee Landlord');
  });
});

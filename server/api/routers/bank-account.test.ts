import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { apiAs, createUser, errorOf } from '@/server/testing/api';
import { bankAccountInput, offerLease, ROUTING_NUMBERS } from '@/server/testing/leasing';
import { historyMismatches } from '@/server/testing/history';

const eventCount = () => db.event.count();
const primaries = (userId: string) => db.bankAccount.findMany({ where: { userId, isPrimary: true }, select: { id: true } });

describe('bankAccount.create', () => {
  it('keeps only the last 4 digits and a keyed token; the number appears in no response, row or event', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    const input = bankAccountInput({ accountNumber: '000123456789' });
    const before = await eventCount();

    const account = await api.bankAccount.create.mutate(input);

    expect(account).toEqual({
      id: expect.any(String),
      nickname: 'Everyday',
      bankName: 'First Test Bank',
      type: 'CHECKING',
      routingNumber: input.routingNumber,
      last4: '6789',
      isPrimary: true,
      active: true,
      deactivatedReason: null,
      createdAt: expect.any(Date),
    });
    const token = createHmac('sha256', env.ACCOUNT_TOKEN_SECRET).update(`${input.routingNumber}:000123456789`).digest('hex');
    const stored = await db.bankAccount.findUniqueOrThrow({ where: { id: account.id } });
    expect(stored.accountToken).toBe(token);
    expect(JSON.stringify(stored)).not.toContain('000123456789');
    const listed = await api.bankAccount.list.query();
    const events = await db.event.findMany({ where: { aggregateId: account.id } });
    expect(await eventCount()).toBe(before + 1);
    expect(events).toEqual([expect.objectContaining({ aggregateType: 'BankAccount', type: 'bankAccount.created', sequence: 1, actorId: renter.id })]);
    for (const output of [JSON.stringify(account), JSON.stringify(listed), JSON.stringify(events, (_key, value) => (typeof value === 'bigint' ? String(value) : value))]) {
      expect(output).not.toContain('000123456789');
      expect(output).not.toContain('123456789');
      expect(output).not.toContain(token);
    }
  });

  it('makes only the first account primary', async () => {
    const api = await apiAs(await createUser('RENTER'));
    const first = await api.bankAccount.create.mutate(bankAccountInput());
    const second = await api.bankAccount.create.mutate(bankAccountInput({ nickname: 'Savings', type: 'SAVINGS' }));
    expect([first.isPrimary, second.isPrimary]).toEqual([true, false]);
  });

  it('answers CONFLICT with a field error when the same account is added twice, writing nothing', async () => {
    const api = await apiAs(await createUser('RENTER'));
    const input = bankAccountInput();
    await api.bankAccount.create.mutate(input);
    const before = await eventCount();
    const error = await errorOf(api.bankAccount.create.mutate({ ...input, nickname: 'Again', accountNumber: ` ${input.accountNumber} ` }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.data?.fieldErrors?.accountNumber).toEqual(['this account is already linked as “Everyday”']);
    expect(await eventCount()).toBe(before);
    expect((await api.bankAccount.list.query()).items).toHaveLength(1);
  });

  it('lets two users link the same account, and one user the same number at another bank', async () => {
    const number = '55501234';
    const first = await apiAs(await createUser('RENTER'));
    const second = await apiAs(await createUser('RENTER'));
    await first.bankAccount.create.mutate(bankAccountInput({ accountNumber: number }));
    await second.bankAccount.create.mutate(bankAccountInput({ accountNumber: number }));
    await first.bankAccount.create.mutate(bankAccountInput({ accountNumber: number, routingNumber: ROUTING_NUMBERS[1] }));
    expect((await first.bankAccount.list.query()).items).toHaveLength(2);
  });

  it('creates exactly one primary when a user adds two accounts at the same time', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    await Promise.all([api.bankAccount.create.mutate(bankAccountInput()), api.bankAccount.create.mutate(bankAccountInput())]);
    expect(await primaries(renter.id)).toHaveLength(1);
  });
});

describe('bankAccount.setPrimary', () => {
  it('moves the primary flag atomically, recording one event per account changed', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    const first = await api.bankAccount.create.mutate(bankAccountInput());
    const second = await api.bankAccount.create.mutate(bankAccountInput({ nickname: 'Second' }));
    const before = await eventCount();

    expect(await api.bankAccount.setPrimary.mutate({ id: second.id })).toMatchObject({ id: second.id, isPrimary: true });

    expect(await primaries(renter.id)).toEqual([{ id: second.id }]);
    expect(await eventCount()).toBe(before + 2);
    const [demoted] = await db.event.findMany({ where: { aggregateId: first.id }, orderBy: { sequence: 'desc' }, take: 1 });
    expect(demoted).toMatchObject({ type: 'bankAccount.primaryRemoved', reason: '“Second” became primary' });
    // Already primary: nothing changes, nothing is recorded.
    await api.bankAccount.setPrimary.mutate({ id: second.id });
    expect(await eventCount()).toBe(before + 2);
  });

  it('leaves exactly one primary when two calls race for different accounts', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    const accounts = [];
    for (let index = 0; index < 3; index += 1) accounts.push(await api.bankAccount.create.mutate(bankAccountInput({ nickname: `Account ${index}` })));
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.all([api.bankAccount.setPrimary.mutate({ id: accounts[1]!.id }), api.bankAccount.setPrimary.mutate({ id: accounts[2]!.id })]);
      expect(results.every((result) => result.isPrimary)).toBe(true);
      const primary = await primaries(renter.id);
      expect(primary).toHaveLength(1);
      expect([accounts[1]!.id, accounts[2]!.id]).toContain(primary[0]!.id);
    }
  });

  it('refuses a deactivated account with CONFLICT', async () => {
    const api = await apiAs(await createUser('RENTER'));
    await api.bankAccount.create.mutate(bankAccountInput());
    const spare = await api.bankAccount.create.mutate(bankAccountInput({ nickname: 'Spare' }));
    await api.bankAccount.deactivate.mutate({ id: spare.id });
    const error = await errorOf(api.bankAccount.setPrimary.mutate({ id: spare.id }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toBe('This account is deactivated and cannot be primary; activate it first');
  });
});

describe('bankAccount.deactivate and activate', () => {
  it('deactivates a secondary account and reactivates it without taking the primary', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    const primary = await api.bankAccount.create.mutate(bankAccountInput());
    const spare = await api.bankAccount.create.mutate(bankAccountInput({ nickname: 'Spare' }));
    const before = await eventCount();

    expect(await api.bankAccount.deactivate.mutate({ id: spare.id })).toMatchObject({ active: false, isPrimary: false });
    expect(await api.bankAccount.deactivate.mutate({ id: spare.id })).toMatchObject({ active: false });
    expect(await eventCount()).toBe(before + 1);
    expect((await api.bankAccount.list.query({ active: true })).items.map((account) => account.id)).toEqual([primary.id]);
    expect((await api.bankAccount.list.query({ active: false })).items.map((account) => account.id)).toEqual([spare.id]);

    expect(await api.bankAccount.activate.mutate({ id: spare.id })).toMatchObject({ active: true, isPrimary: false });
    expect(await api.bankAccount.activate.mutate({ id: spare.id })).toMatchObject({ active: true });
    expect(await eventCount()).toBe(before + 2);
  });

  it('refuses to deactivate the primary while another account is active, asking for a new primary first', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    const primary = await api.bankAccount.create.mutate(bankAccountInput());
    const other = await api.bankAccount.create.mutate(bankAccountInput({ nickname: 'Other' }));
    const error = await errorOf(api.bankAccount.deactivate.mutate({ id: primary.id }));
    expect(error.data?.code).toBe('CONFLICT');
    expect(error.message).toBe('This is your primary account: make another account primary first, then deactivate this one');

    await api.bankAccount.setPrimary.mutate({ id: other.id });
    expect(await api.bankAccount.deactivate.mutate({ id: primary.id })).toMatchObject({ active: false, isPrimary: false });
  });

  it('deactivates the only active account, leaving no primary until one is activated again', async () => {
    const renter = await createUser('RENTER');
    const api = await apiAs(renter);
    const only = await api.bankAccount.create.mutate(bankAccountInput());
    await api.bankAccount.deactivate.mutate({ id: only.id });
    expect(await primaries(renter.id)).toEqual([]);
    expect(await api.bankAccount.activate.mutate({ id: only.id })).toMatchObject({ active: true, isPrimary: true });
  });

  it('refuses to deactivate a landlord’s payout account while a pending or active lease pays into it', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const renterUser = await createUser('RENTER');
    const { payout, lease } = await offerLease(landlord, renterUser.email);
    // Not primary and not alone: only the lease stands in the way.
    const other = await landlord.bankAccount.create.mutate(bankAccountInput({ nickname: 'Other' }));
    await landlord.bankAccount.setPrimary.mutate({ id: other.id });

    const pending = await errorOf(landlord.bankAccount.deactivate.mutate({ id: payout.id }));
    expect(pending.data?.code).toBe('CONFLICT');
    expect(pending.message).toBe('This account receives the rent of 1 active or pending lease; it cannot be deactivated while they run');

    await (await apiAs(renterUser)).lease.accept.mutate({ id: lease.id });
    expect(await errorOf(landlord.bankAccount.deactivate.mutate({ id: payout.id }))).toMatchObject({ data: { code: 'CONFLICT' } });
    expect((await db.bankAccount.findUniqueOrThrow({ where: { id: payout.id } })).active).toBe(true);
  });

  it('allows deactivating a payout account once its lease was cancelled', async () => {
    const landlord = await apiAs(await createUser('LANDLORD'));
    const { payout, lease } = await offerLease(landlord, 'nobody-yet@example.com');
    await landlord.lease.cancel.mutate({ id: lease.id, reason: 'unit sold' });
    expect(await landlord.bankAccount.deactivate.mutate({ id: payout.id })).toMatchObject({ active: false });
  });
});

describe('bankAccount.list', () => {
  it('pages through the user’s accounts newest first', async () => {
    const api = await apiAs(await createUser('RENTER'));
    const created = [];
    for (let index = 0; index < 5; index += 1) created.push(await api.bankAccount.create.mutate(bankAccountInput({ nickname: `Account ${index}` })));
    const first = await api.bankAccount.list.query({ limit: 2 });
    const second = await api.bankAccount.list.query({ limit: 2, cursor: first.nextCursor! });
    const third = await api.bankAccount.list.query({ limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((account) => account.nickname)).toEqual(['Account 4', 'Account 3', 'Account 2', 'Account 1', 'Account 0']);
    expect(third.nextCursor).toBeNull();
  });
});

describe('event history', () => {
  it('replays to every record this file created, with every chain intact', async () => {
    expect((await historyMismatches()).mismatches).toEqual([]);
  });
});

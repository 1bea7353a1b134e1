// Bank accounts of both roles: adding one, listing, choosing the primary, deactivating and
// reactivating. The full account number is used once, to compute a keyed HMAC token that
// detects the same account added twice; only its last 4 digits are stored or shown, and
// neither the number nor the token ever goes into a response, a log or an event.
//
// Every change to a user's accounts runs under one advisory lock per user (see
// lockBankAccountsOf), which makes "the first account becomes primary", setPrimary and
// deactivate atomic with respect to each other; the partial unique index
// "BankAccount_one_primary_per_user" and the CHECK that a primary is active back it up.
import { createHmac } from 'node:crypto';
import type { Tx } from '@/server/db';
import { env } from '@/server/env';
import type { BankAccount } from '@/server/generated/prisma/client';
import type { AccountType } from '@/server/generated/prisma/enums';
import type { Actor } from './actor';
import { badRequest, conflict, DomainError, notFound } from './errors';
import { appendEvent, appendEvents, lockKeys } from './events';
import { pageArgs, toPage, type Page, type PageInput } from './pagination';
import { isValidRoutingNumber } from './routing-number';

export interface BankAccountView {
  id: string;
  nickname: string;
  bankName: string;
  type: AccountType;
  routingNumber: string;
  last4: string;
  isPrimary: boolean;
  active: boolean;
  /** Why the system deactivated it (an ACH return R02/R03); null when active or deactivated by its owner. */
  deactivatedReason: string | null;
  createdAt: Date;
}

const view = { id: true, nickname: true, bankName: true, type: true, routingNumber: true, last4: true, isPrimary: true, active: true, deactivatedReason: true, createdAt: true } as const;

const toView = (account: BankAccount): BankAccountView => ({
  id: account.id,
  nickname: account.nickname,
  bankName: account.bankName,
  type: account.type,
  routingNumber: account.routingNumber,
  last4: account.last4,
  isPrimary: account.isPrimary,
  active: account.active,
  deactivatedReason: account.deactivatedReason,
  createdAt: account.createdAt,
});

/** The account as its events record it: no token (and the number is never stored at all). */
export function bankAccountSnapshot(account: BankAccount) {
  return { ...toView(account), userId: account.userId, createdAt: account.createdAt.toISOString() };
}

/** Serializes every change to one user's accounts (and lease creation naming one as payout). */
export function bankAccountsLockKey(userId: string): string {
  return `bank-accounts:${userId}`;
}

function accountToken(routingNumber: string, accountNumber: string): string {
  return createHmac('sha256', env.ACCOUNT_TOKEN_SECRET).update(`${routingNumber}:${accountNumber}`).digest('hex');
}

export interface CreateBankAccountInput {
  nickname: string;
  bankName: string;
  type: AccountType;
  routingNumber: string;
  accountNumber: string;
}

/** Adds an account; the user's first active account becomes primary. */
export async function createBankAccount(tx: Tx, actor: Actor, input: CreateBankAccountInput): Promise<BankAccountView> {
  // The input schema checks these too; the domain does not trust its callers with money.
  if (!isValidRoutingNumber(input.routingNumber)) throw badRequest('Routing number is not valid', { routingNumber: ['is not a valid ABA routing number'] });
  if (!/^\d{4,17}$/.test(input.accountNumber)) throw badRequest('Account number is not valid', { accountNumber: ['must be 4 to 17 digits'] });

  await lockKeys(tx, [bankAccountsLockKey(actor.id)]);
  const token = accountToken(input.routingNumber, input.accountNumber);
  const existing = await tx.bankAccount.findUnique({
    where: { userId_routingNumber_accountToken: { userId: actor.id, routingNumber: input.routingNumber, accountToken: token } },
    select: { nickname: true, active: true },
  });
  if (existing) {
    const hint = existing.active ? '' : ' (it is deactivated; activate it instead)';
    throw new DomainError('CONFLICT', `You already added this account as “${existing.nickname}”${hint}`, {
      accountNumber: [`this account is already linked as “${existing.nickname}”${hint}`],
    });
  }
  const hasPrimary = (await tx.bankAccount.count({ where: { userId: actor.id, isPrimary: true } })) > 0;
  const account = await tx.bankAccount.create({
    data: {
      userId: actor.id,
      nickname: input.nickname,
      bankName: input.bankName,
      type: input.type,
      routingNumber: input.routingNumber,
      last4: input.accountNumber.slice(-4),
      accountToken: token,
      isPrimary: !hasPrimary,
    },
  });
  await appendEvent(tx, { aggregateType: 'BankAccount', aggregateId: account.id, type: 'bankAccount.created', actor, data: bankAccountSnapshot(account) });
  return toView(account);
}

export async function listBankAccounts(tx: Tx, actor: Actor, input: PageInput & { active?: boolean }): Promise<Page<BankAccountView>> {
  const rows = await tx.bankAccount.findMany({
    where: { userId: actor.id, ...(input.active === undefined ? {} : { active: input.active }) },
    select: view,
    ...pageArgs(input),
  });
  return toPage(rows, input.limit);
}

/** One of the actor's accounts, read after taking their lock, or NOT_FOUND. */
async function lockedAccountOf(tx: Tx, actor: Actor, id: string): Promise<BankAccount> {
  await lockKeys(tx, [bankAccountsLockKey(actor.id)]);
  const account = await tx.bankAccount.findFirst({ where: { id, userId: actor.id } });
  if (!account) throw notFound('Bank account');
  return account;
}

/** Makes this account the primary one, taking it from the previous primary in the same transaction. */
export async function setPrimaryBankAccount(tx: Tx, actor: Actor, input: { id: string }): Promise<BankAccountView> {
  const account = await lockedAccountOf(tx, actor, input.id);
  if (!account.active) throw conflict('This account is deactivated and cannot be primary; activate it first');
  if (account.isPrimary) return toView(account);
  // Demote first: the partial unique index allows one primary per user at every instant.
  const demoted = await tx.bankAccount.updateManyAndReturn({ where: { userId: actor.id, isPrimary: true }, data: { isPrimary: false } });
  const promoted = await tx.bankAccount.update({ where: { id: account.id }, data: { isPrimary: true } });
  await appendEvents(tx, [
    ...demoted.map((previous) => ({
      aggregateType: 'BankAccount' as const,
      aggregateId: previous.id,
      type: 'bankAccount.primaryRemoved',
      actor,
      reason: `“${promoted.nickname}” became primary`,
      data: bankAccountSnapshot(previous),
    })),
    { aggregateType: 'BankAccount', aggregateId: promoted.id, type: 'bankAccount.primarySet', actor, data: bankAccountSnapshot(promoted) },
  ]);
  return toView(promoted);
}

/**
 * Deactivates an account so it can no longer send or receive new payments.
 *
 * - An account that receives the rent of an ACTIVE or PENDING lease is refused: those
 *   leases would have nowhere to pay.
 * - The primary account is refused while the user has another active account: which account
 *   rent comes from (or goes to) is the user's choice, so they pick the new primary first
 *   rather than us promoting one silently. When it is their only active account it is
 *   deactivated and the user has no primary until they add or activate one.
 * - Deactivating an inactive account changes nothing and records nothing.
 */
export async function deactivateBankAccount(tx: Tx, actor: Actor, input: { id: string }): Promise<BankAccountView> {
  const account = await lockedAccountOf(tx, actor, input.id);
  if (!account.active) return toView(account);

  // lease.create takes the same lock before naming a payout account, so none can appear meanwhile.
  const payoutLeases = await tx.lease.count({ where: { payoutAccountId: account.id, status: { in: ['PENDING', 'ACTIVE'] } } });
  if (payoutLeases > 0) {
    const leases = payoutLeases === 1 ? '1 active or pending lease' : `${payoutLeases} active or pending leases`;
    throw conflict(`This account receives the rent of ${leases}; it cannot be deactivated while they run`);
  }
  if (account.isPrimary) {
    const otherActive = await tx.bankAccount.count({ where: { userId: actor.id, active: true, id: { not: account.id } } });
    if (otherActive > 0) throw conflict('This is your primary account: make another account primary first, then deactivate this one');
  }
  const deactivated = await tx.bankAccount.update({ where: { id: account.id }, data: { active: false, isPrimary: false } });
  await appendEvent(tx, { aggregateType: 'BankAccount', aggregateId: account.id, type: 'bankAccount.deactivated', actor, data: bankAccountSnapshot(deactivated) });
  return toView(deactivated);
}

/** Reactivates an account (also one deactivated by an ACH return R02/R03, clearing that reason); it becomes primary when the user has none (as a first account does). */
export async function activateBankAccount(tx: Tx, actor: Actor, input: { id: string }): Promise<BankAccountView> {
  const account = await lockedAccountOf(tx, actor, input.id);
  if (account.active) return toView(account);
  const hasPrimary = (await tx.bankAccount.count({ where: { userId: actor.id, isPrimary: true } })) > 0;
  const activated = await tx.bankAccount.update({ where: { id: account.id }, data: { active: true, isPrimary: !hasPrimary, deactivatedReason: null } });
  await appendEvent(tx, { aggregateType: 'BankAccount', aggregateId: account.id, type: 'bankAccount.activated', actor, data: bankAccountSnapshot(activated) });
  return toView(activated);
}

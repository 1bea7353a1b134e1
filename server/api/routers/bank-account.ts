import { authedProcedure, createTRPCRouter, sessionProcedure } from '@/server/api/trpc';
import { byId } from '@/server/api/schemas/common';
import { createBankAccountInput, listBankAccountsInput } from '@/server/api/schemas/bank-account';
import {
  activateBankAccount,
  createBankAccount,
  deactivateBankAccount,
  listBankAccounts,
  setPrimaryBankAccount,
} from '@/server/domain/bank-accounts';
import type { BankAccountView } from '@/server/domain/bank-accounts';
import type { Page } from '@/server/domain/pagination';
import { bankAccountPageOutput, describes } from '@/server/api/schemas/outputs';

// Writes run in a transaction: the per-user lock and the event live and die with the change.
// Where money comes from and goes to is changed in the portal only, never with an API token
// (sessionProcedure): a leaked token could otherwise add an account and route rent to it.
export const bankAccountRouter = createTRPCRouter({
  /** The account number goes in; only its last 4 digits ever come out. */
  create: sessionProcedure.input(createBankAccountInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createBankAccount(tx, ctx.actor, input))),
  list: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/bank-accounts', tags: ['Bank accounts'], summary: 'Your bank accounts (newest first)' } })
    .input(listBankAccountsInput)
    .output(describes<Page<BankAccountView>>(bankAccountPageOutput))
    .query(({ ctx, input }) => listBankAccounts(ctx.db, ctx.actor, input)),
  setPrimary: sessionProcedure.input(byId).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => setPrimaryBankAccount(tx, ctx.actor, input))),
  deactivate: sessionProcedure.input(byId).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deactivateBankAccount(tx, ctx.actor, input))),
  activate: sessionProcedure.input(byId).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => activateBankAccount(tx, ctx.actor, input))),
});

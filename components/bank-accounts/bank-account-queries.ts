// The inputs the bank-account pages read with, shared by the pages' server prefetch and the components.

/** bankAccount.list on the Bank accounts page (one page holds them all). */
export const BANK_ACCOUNT_LIST_INPUT = { limit: 50 };

/** bankAccount.list of the accounts a form may choose from (the lease form's payout, the pay-rent form's source). */
export const ACTIVE_ACCOUNTS_INPUT = { active: true, limit: 100 };

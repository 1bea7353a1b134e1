// Where the CSV exports and statements live. The export routes are route handlers under
// app/api/export/ (see the README's exports section); plain functions so server pages and
// client components share them.

export const exportPaths = {
  /** Every payment to the landlord, as CSV. */
  payments: '/api/export/payments.csv',
  /** One lease's ledger, as CSV. */
  ledger: (leaseId: string) => `/api/export/ledger.csv?leaseId=${encodeURIComponent(leaseId)}`,
};

export const statementPaths = {
  /** The renter's printable statement of a lease. */
  page: (leaseId: string) => `/renter/leases/${leaseId}/statement`,
  /** The same statement as CSV. */
  csv: (leaseId: string) => `/api/export/statement.csv?leaseId=${encodeURIComponent(leaseId)}`,
};

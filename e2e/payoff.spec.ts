// A renter pays a lease off early in the browser: the lease page's "Pay off early" card shows
// the quote (3 × $1,000.01 less 2 % rounded down to $60.00 = $2,940.03), pays it over Instant
// (RTP), the payment page says it is a payoff and follows it to Completed, and the lease is
// COMPLETED once it is final (RTP: at settlement). The landlord's lease page lists the payoff
// like any payment. Set-up (sign-ups through the form, accounts, lease) goes through the API.
import { test, expect, type Page } from '@playwright/test';
import { api, shot, signUp, uniqueEmail, verifyEmailByMail } from './helpers';

test.describe.configure({ mode: 'serial' });

function firstOfNextMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

let landlord: Page;
let renter: Page;
let leaseId: string;

test('set-up: a landlord and a renter with an ACTIVE 3-month lease of $1,000.01 a month', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const baseURL = testInfo.project.use.baseURL;
  landlord = await (await browser.newContext({ baseURL })).newPage();
  renter = await (await browser.newContext({ baseURL })).newPage();
  const renterEmail = uniqueEmail('e2e-payoff-renter');
  await signUp(landlord, { role: 'LANDLORD', name: 'Pat Landlord', email: uniqueEmail('e2e-payoff-landlord') });
  await signUp(renter, { role: 'RENTER', name: 'Robin Renter', email: renterEmail });
  const payout = await api<{ id: string }>(landlord, 'mutation', 'bankAccount.create', { nickname: 'Rent income', bankName: 'First Test Bank', type: 'CHECKING', routingNumber: '021000021', accountNumber: '7788990000' });
  await api(renter, 'mutation', 'bankAccount.create', { nickname: 'Everyday checking', bankName: 'Test Credit Union', type: 'CHECKING', routingNumber: '011000015', accountNumber: '123450000' });
  const property = await api<{ id: string }>(landlord, 'mutation', 'property.create', { name: 'Payoff Place', line1: '1 Early St', city: 'Austin', state: 'TX', postalCode: '78701' });
  const lease = await api<{ id: string }>(landlord, 'mutation', 'lease.create', {
    propertyId: property.id,
    renterEmail,
    monthlyRentCents: 100_001,
    // The 1st of next month: no installment is due yet, so the 2 % decides the discount (it is
    // never more than the rent not yet due) whenever this runs.
    startDate: firstOfNextMonth(),
    termMonths: 3,
    dueDay: 1,
    payoutAccountId: payout.id,
  });
  await verifyEmailByMail(renter, renterEmail);
  await api(renter, 'mutation', 'lease.accept', { id: lease.id });
  leaseId = lease.id;
});

test('the renter pays off early by RTP and sees the lease COMPLETED once final', async ({}, testInfo) => {
  await renter.goto(`/renter/leases/${leaseId}`);
  const card = renter.getByTestId('payoff-card');
  await expect(card.getByTestId('payoff-remaining')).toHaveText('$3,000.03');
  await expect(card.getByTestId('payoff-discount')).toHaveText('− $60.00');
  await expect(card.getByTestId('payoff-late-fees')).toHaveText('$0.00');
  await expect(card.getByTestId('payoff-total')).toHaveText('$2,940.03');
  await expect(renter.getByText('2% of the remaining rent')).toBeVisible();
  await shot(renter, testInfo, 'payoff-card-quote');

  await card.getByRole('button', { name: 'Pay off early' }).click();
  await expect(card.getByLabel('Pay from').locator('option:checked')).toContainText('0000');
  await card.getByTestId('rail-RTP').click();
  await expect(card.getByTestId('payoff-review-total')).toHaveText('$2,941.53');
  await shot(renter, testInfo, 'payoff-card-form');
  await card.getByRole('button', { name: 'Confirm payoff' }).click();

  await expect(renter).toHaveURL(/\/renter\/payments\/[0-9a-f-]{36}$/);
  await expect(renter.getByTestId('payoff-label')).toHaveText(/^early payoff of [A-Z][a-z]+ \d{4} rent – [A-Z][a-z]+ \d{4} rent$/);
  await expect(renter.getByTestId('payment-status')).toHaveText('Completed');
  await expect(renter.getByTestId('payoff-installments')).toContainText(/[A-Z][a-z]+ \d{4} rent \(due/);
  await expect(renter.getByTestId('payoff-installments')).toContainText('− $60.00 discount');
  await shot(renter, testInfo, 'payoff-payment-completed');

  await renter.goto(`/renter/leases/${leaseId}`);
  await expect(renter.getByRole('heading', { level: 1 })).toContainText('Completed');
  await expect(renter.getByTestId('payoff-card')).toHaveCount(0);
  const rows = renter.getByTestId('schedule-row');
  await expect(rows).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(rows.nth(i)).toContainText('Paid');
  await expect(renter.getByText('Early payoff discount').first()).toBeVisible();
  await shot(renter, testInfo, 'payoff-lease-completed');
});

test('the landlord sees the payoff on the lease like any payment', async ({}, testInfo) => {
  await landlord.goto(`/landlord/leases/${leaseId}`);
  await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Completed');
  await expect(landlord.getByTestId('schedule-row').first()).toContainText('early payoff');
  await shot(landlord, testInfo, 'payoff-landlord-lease');
});

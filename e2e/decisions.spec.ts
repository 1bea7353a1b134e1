// Decisions with consequences, in the browser: a lease starting in the past must be
// confirmed (and says how many installments are overdue at once, with the end date); the
// renter reads the terms and must tick "I agree" to accept, or declines with a reason the
// landlord is told; an API token's scope and lifetime are chosen (read only for 90 days unless
// changed); one-tap destructive actions ask first (Escape keeps things as they are); the
// landlord moves a lease's rent to another payout account.
import { expect, test, type Page } from '@playwright/test';
import { api, openTwoParties, shot, signUp, uniqueEmail, verifyEmailByMail } from './helpers';

/** The first of the month `months` before this one (UTC), as YYYY-MM-DD. */
function firstOfMonthBack(months: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1)).toISOString().slice(0, 10);
}

test.describe('decisions: confirm a past start, agree or decline, confirm before destroying, change the payout account', () => {
  test.describe.configure({ mode: 'serial' });

  let closeParties: (() => Promise<void>) | undefined;
  let landlord: Page;
  let renter: Page;
  const renterEmail = uniqueEmail('e2e-decide-renter');
  const suffix = Date.now().toString(36);
  const pastName = `Oak Row ${suffix}`;
  const declinedName = `Elm Yard ${suffix}`;
  let pastLeaseId: string;
  let declinedLeaseId: string;

  test.beforeAll(async ({ browser }, workerInfo) => {
    ({ landlord, renter, close: closeParties } = await openTwoParties(browser, workerInfo.project.use.baseURL));
  });

  test.afterAll(async () => {
    await closeParties?.();
  });

  test('the landlord is warned that a start in the past makes installments overdue at once, and must confirm it', async ({}, testInfo) => {
    await signUp(landlord, { role: 'LANDLORD', name: 'Dee Cider', email: uniqueEmail('e2e-decide-landlord') });
    await api(landlord, 'mutation', 'bankAccount.create', { nickname: 'Rent income', bankName: 'First Test Bank', type: 'CHECKING', routingNumber: '021000021', accountNumber: '7788990000' });
    const past = await api<{ id: string }>(landlord, 'mutation', 'property.create', { name: pastName, line1: '1 Oak Row', city: 'Austin', state: 'TX', postalCode: '78701' });
    const other = await api<{ id: string }>(landlord, 'mutation', 'property.create', { name: declinedName, line1: '2 Elm Yard', city: 'Austin', state: 'TX', postalCode: '78701' });
    const startDate = firstOfMonthBack(3);

    await landlord.goto(`/landlord/leases/new?propertyId=${past.id}`);
    await landlord.getByLabel('Renter’s email').fill(renterEmail);
    await landlord.getByLabel('Monthly rent (USD)').fill('1200');
    await landlord.getByLabel('Start date', { exact: true }).fill(startDate);
    await landlord.getByLabel('Term (months)').fill('12');
    const warnings = landlord.getByTestId('lease-create-warnings');
    await expect(warnings).toContainText(/The start date is in the past: \d+ installments are overdue as soon as the renter accepts/);
    await expect(landlord.getByTestId('lease-end-date')).toHaveText(/\w{3} \d{1,2}, \d{4}/);
    // Unconfirmed, the server refuses and says why, next to the box to tick.
    await landlord.getByRole('button', { name: 'Create lease and invite renter' }).click();
    await expect(warnings.getByRole('alert')).toContainText('confirm to create it anyway');
    await shot(landlord, testInfo, 'lease-create-past-start-warning');
    await warnings.getByLabel('Start it in the past anyway').check();
    await landlord.getByRole('button', { name: 'Create lease and invite renter' }).click();
    await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Pending');
    pastLeaseId = new URL(landlord.url()).pathname.split('/').at(-1)!;

    const declined = await api<{ id: string }>(landlord, 'mutation', 'lease.create', {
      propertyId: other.id,
      renterEmail,
      monthlyRentCents: 99_000,
      startDate: '2027-03-01',
      termMonths: 6,
      dueDay: 1,
      payoutAccountId: (await api<{ items: { id: string }[] }>(landlord, 'query', 'bankAccount.list', { active: true })).items[0]!.id,
    });
    declinedLeaseId = declined.id;
  });

  test('the renter declines one invitation with a reason, and accepts the other only after ticking I agree', async ({}, testInfo) => {
    await signUp(renter, { role: 'RENTER', name: 'Rae Decider', email: renterEmail });
    await verifyEmailByMail(renter, renterEmail);
    await renter.goto('/renter');
    const toDecline = renter.getByTestId('lease-invitation').filter({ hasText: declinedName });
    await expect(toDecline.getByTestId('lease-commitment')).toContainText('$5,940.00 in 6 installments');
    await expect(toDecline.getByTestId('lease-commitment')).toContainText('Aug 31, 2027');
    await toDecline.getByRole('button', { name: 'Decline…' }).click();
    await toDecline.getByRole('button', { name: 'Decline lease' }).click();
    await expect(toDecline.getByText('say why you decline this lease')).toBeVisible();
    await toDecline.getByLabel('Why do you decline this lease?').fill('The commute is too long.');
    await shot(renter, testInfo, 'renter-declining');
    await toDecline.getByRole('button', { name: 'Decline lease' }).click();
    await expect(renter.getByText(`You declined the lease for ${declinedName}. The landlord has been told.`)).toBeVisible();

    const toAccept = renter.getByTestId('lease-invitation').filter({ hasText: pastName });
    await expect(toAccept.getByTestId('lease-commitment')).toContainText('Lease ends');
    // Started three months back: told before agreeing what is owed at once, as the landlord was.
    await expect(toAccept.getByTestId('past-due-notice')).toContainText(/This lease started in the past\. \d+ installments fell due before today \(\$[\d,]+\.00 in all\)/);
    await expect(toAccept.getByTestId('lease-commitment')).toContainText('Rent income ••••0000');
    const accept = toAccept.getByRole('button', { name: 'Accept lease' });
    await expect(accept).toBeDisabled();
    await shot(renter, testInfo, 'renter-invitation-terms');
    await toAccept.getByLabel(/I agree to these terms/).check();
    await accept.click();
    await expect(renter.getByText(`You accepted the lease for ${pastName}.`)).toBeVisible();

    // The declined lease stays readable to the renter, as declined.
    await renter.goto(`/renter/leases/${declinedLeaseId}`);
    await expect(renter.getByText('You declined this lease: “The commute is too long.”')).toBeVisible();
  });

  test('the landlord is told, and sees the lease Declined with the reason', async ({}, testInfo) => {
    await landlord.goto('/notifications');
    await expect(landlord.getByText(`Lease declined: ${declinedName}`)).toBeVisible();
    await landlord.goto(`/landlord/leases/${declinedLeaseId}`);
    await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Declined');
    await expect(landlord.getByText(`The renter (${renterEmail}) declined this lease: “The commute is too long.”`)).toBeVisible();
    await expect(landlord.getByTestId('timeline-event').filter({ hasText: 'Lease declined by the renter' })).toContainText('“The commute is too long.”');
    await shot(landlord, testInfo, 'landlord-lease-declined');
    await landlord.goto('/landlord/leases?status=DECLINED');
    await expect(landlord.getByTestId('lease-row')).toHaveCount(1);
    await landlord.goto('/landlord');
    await expect(landlord.getByTestId('lease-count-DECLINED')).toContainText('1');
  });

  test('the landlord moves the rent to another account: future payments only, in the history', async ({}, testInfo) => {
    await api(landlord, 'mutation', 'bankAccount.create', { nickname: 'New income', bankName: 'First Test Bank', type: 'CHECKING', routingNumber: '021000021', accountNumber: '7788991111' });
    await landlord.goto(`/landlord/leases/${pastLeaseId}`);
    const card = landlord.getByTestId('payout-card');
    await card.getByRole('button', { name: 'Change payout account…' }).click();
    await expect(card.getByLabel("Pay this lease's rent to")).toBeFocused();
    // Escape closes the step and changes nothing.
    await landlord.keyboard.press('Escape');
    await expect(card.getByRole('button', { name: 'Change payout account…' })).toBeVisible();
    await card.getByRole('button', { name: 'Change payout account…' }).click();
    await card.getByLabel("Pay this lease's rent to").selectOption({ label: 'New income ••••1111' });
    await card.getByRole('button', { name: 'Change payout account', exact: true }).click();
    await expect(card.getByText('Rent now goes to New income ••••1111. Payments already made keep their account.')).toBeVisible();
    await expect(landlord.getByTestId('timeline-event').filter({ hasText: 'Payout account changed' })).toContainText('New income ••••1111');
    await shot(landlord, testInfo, 'landlord-payout-changed');
  });

  test('an API token is read only for 90 days unless chosen otherwise, and its row shows the scope and expiry chosen', async ({}, testInfo) => {
    await landlord.goto('/settings');
    await expect(landlord.getByRole('navigation', { name: 'Settings sections' })).toContainText('Notifications');
    const tokens = landlord.locator('#api-tokens');
    await tokens.getByLabel('Token name').fill('bookkeeping');
    // Least privilege unless chosen: read only, for 90 days.
    await expect(tokens.getByLabel('Scope')).toHaveValue('READ');
    await expect(tokens.getByLabel('Expires after')).toHaveValue('90');
    await tokens.getByLabel('Scope').selectOption('WRITE');
    await tokens.getByLabel('Expires after').selectOption('30');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    // The same words the table's date format writes (month, day, year in New York time).
    const in30Days = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric', year: 'numeric' }).format(new Date(Date.now() + 30 * 24 * 3_600_000));
    await expect(tokens.getByTestId('new-api-token')).toHaveText(/^dp_[0-9a-f]{8}_/);
    const row = tokens.getByRole('row').filter({ hasText: 'bookkeeping' });
    await expect(row).toContainText('Read and write');
    await expect(row).toContainText(`Expires ${in30Days}`);
    await shot(landlord, testInfo, 'api-token-created');
  });

  test('a destructive one-tap action asks first, says the consequence, and Escape keeps things as they are', async ({}, testInfo) => {
    await landlord.goto('/settings');
    const tokens = landlord.locator('#api-tokens');
    await expect(tokens.getByRole('button', { name: 'Revoke' })).toBeVisible();
    await tokens.getByRole('button', { name: 'Revoke' }).click();
    const dialog = landlord.getByRole('alertdialog');
    await expect(dialog).toContainText('Every program using this token is refused from now on.');
    await expect(dialog.getByRole('button', { name: 'Keep the token' })).toBeFocused();
    await shot(landlord, testInfo, 'confirm-revoke-token');
    await landlord.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(tokens.getByRole('button', { name: 'Revoke' })).toBeVisible();
    await tokens.getByRole('button', { name: 'Revoke' }).click();
    await dialog.getByRole('button', { name: 'Yes, revoke it' }).click();
    await expect(tokens.getByText('Revoked')).toBeVisible();
  });
});

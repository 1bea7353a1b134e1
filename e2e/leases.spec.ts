import { expect, test, type Page } from '@playwright/test';
import { mailedLink, openTwoParties, shot, signUp, submitBankAccount, submitProperty, uniqueEmail } from './helpers';

const scheduleRows = (page: Page) => page.getByTestId('schedule-row');
// An ACTIVE lease's rows end with a payment column that differs by party (Pay, latest payment); the schedule is the first four cells.
const scheduleOnly = (rows: string[]) => rows.map((row) => row.split('\t').slice(0, 4).join('\t'));

/** An instant as the "as of" picker takes it: New York wall-clock time to the second. */
function easternInput(at: Date): string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const part = Object.fromEntries(format.formatToParts(at).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}`;
}

// The invitation journey, the suite's longest, runs as steps in order (serial): each has its
// own timeout and a failure names the step, while the two parties' sessions carry over.
test.describe('a landlord offers a lease to a new email; the renter follows the mailed link, signs up, accepts it, and both see it ACTIVE with the same schedule', () => {
  test.describe.configure({ mode: 'serial' });

  let closeParties: (() => Promise<void>) | undefined;
  let landlord: Page;
  let renter: Page;
  const renterEmail = uniqueEmail('e2e-invited-renter');
  let previewRows: string[];
  let storedRows: string[];
  let renterRows: string[];
  let leaseId: string;
  let invitation: string;
  /** After the lease was offered and before the renter accepted it. */
  let offeredAt: Date;

  test.beforeAll(async ({ browser }, workerInfo) => {
    ({ landlord, renter, close: closeParties } = await openTwoParties(browser, workerInfo.project.use.baseURL));
  });

  test.afterAll(async () => {
    await closeParties?.();
  });

  test('a new landlord is sent to add a payout account before a lease, and adds one', async ({}, testInfo) => {
    await signUp(landlord, { role: 'LANDLORD', name: 'Lee Landlord', email: uniqueEmail('e2e-lease-landlord') });

    // Without a payout account, the lease form says so and links to the bank accounts page.
    await landlord.goto('/landlord/leases/new');
    await expect(landlord.getByText('You need an active payout account before you can create a lease')).toBeVisible();
    await expect(landlord.getByRole('button', { name: 'Create lease and invite renter' })).toBeDisabled();
    await shot(landlord, testInfo, 'lease-form-without-payout-account');
    await landlord.getByRole('link', { name: 'Add a bank account' }).first().click();
    await expect(landlord).toHaveURL(/\/landlord\/bank-accounts$/);

    await submitBankAccount(landlord, { nickname: 'Rent income', bankName: 'First Test Bank', routingNumber: '021000021', accountNumber: '4455660000' });
    const payoutRow = landlord.getByTestId('bank-account-row').filter({ hasText: 'Rent income' });
    await expect(payoutRow).toContainText('••••0000');
    await expect(payoutRow).toContainText('Primary');
    await expect(landlord.locator('body')).not.toContainText('4455660000');
  });

  test('the lease form previews the schedule, and the lease created is the one previewed', async ({}, testInfo) => {
    // A property, then a lease on it from the property's page.
    await landlord.goto('/landlord/properties/new');
    await submitProperty(landlord, { name: 'Birch House', line1: '221 Birch Ave', line2: 'Unit 2', city: 'Portland', state: 'OR', postalCode: '97201' });
    await expect(landlord.getByRole('heading', { name: 'Birch House' })).toBeVisible();
    await expect(landlord.getByText('No leases on this property')).toBeVisible();
    await landlord.getByRole('link', { name: 'Create lease' }).first().click();

    await expect(landlord.getByLabel('Property')).toHaveValue(/.+/);
    // No rent yet: the late fee cannot be worked out, so it does not say "No late fee".
    await expect(landlord.getByTestId('late-fee-preview')).toHaveText('The late fee shows here once the terms above are complete.');
    await landlord.getByLabel('Renter’s email').fill(renterEmail);
    await landlord.getByLabel('Monthly rent (USD)').fill('1,500');
    await landlord.getByLabel('Start date', { exact: true }).fill('2027-01-15');
    await landlord.getByLabel('Term (months)').fill('12');
    await landlord.getByLabel('Rent due on').selectOption('1');
    await landlord.getByLabel('Prorate the first month').check();
    // The preview is buildSchedule in the browser: Jan 15–31 is 17 of January's 31 days.
    await expect(scheduleRows(landlord)).toHaveCount(13);
    await expect(scheduleRows(landlord).first()).toContainText('Jan 15, 2027');
    await expect(scheduleRows(landlord).first()).toContainText('January 2027 rent (prorated)');
    await expect(scheduleRows(landlord).nth(1)).toContainText('February 2027 rent');
    await expect(scheduleRows(landlord).first()).toContainText('$822.58');
    await expect(scheduleRows(landlord).nth(1)).toContainText('Feb 1, 2027');
    await expect(scheduleRows(landlord).last()).toContainText('Jan 1, 2028');
    previewRows = await scheduleRows(landlord).allInnerTexts();
    await shot(landlord, testInfo, 'lease-form-with-preview');
    await landlord.getByRole('button', { name: 'Create lease and invite renter' }).click();

    await expect(landlord).toHaveURL(/\/landlord\/leases\/[0-9a-f-]{36}$/);
    await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Pending');
    await expect(scheduleRows(landlord)).toHaveCount(13);
    // The stored schedule is the one previewed (now with each installment's state: all Upcoming).
    storedRows = await scheduleRows(landlord).allInnerTexts();
    expect(storedRows.map((row) => row.replace(/\s*Upcoming$/, ''))).toEqual(previewRows);
    await expect(landlord.getByTestId('timeline-event')).toHaveCount(1);
    await expect(landlord.getByTestId('timeline-event').first()).toContainText('Lease offered');
    await expect(landlord.getByTestId('timeline-event').first()).toContainText('Lee Landlord (landlord)');
    await shot(landlord, testInfo, 'landlord-lease-pending');
    leaseId = new URL(landlord.url()).pathname.split('/').pop()!;
    // The renter is not named until they accept, whether or not the address has an account.
    await expect(landlord.getByText(`The invitation was emailed to ${renterEmail}`)).toBeVisible();
    invitation = await mailedLink(renterEmail, /Lee Landlord invites you to a lease at Birch House/);
    // The picker takes whole seconds: the next one is still long before the renter accepts.
    offeredAt = new Date(Date.now() + 1000);
  });

  test('the invited renter follows the mailed link, signs up from there, reviews the same schedule and accepts', async ({}, testInfo) => {
    // The link lands on /verify-email; signing up from there comes back to it and confirms the address.
    await renter.goto(new URL(invitation).pathname + new URL(invitation).search);
    await renter.getByRole('link', { name: 'Create a renter account' }).click();
    await signUp(renter, { role: 'RENTER', name: 'Ria Renter', email: renterEmail }, { prefilled: true, fillEmail: true, landsOn: /\/verify-email\?token=/ });
    await expect(renter.getByText(`Your address ${renterEmail} is confirmed.`)).toBeVisible();
    await renter.goto('/renter');
    const card = renter.getByTestId('lease-invitation');
    await expect(card).toHaveCount(1);
    await expect(card).toContainText('Birch House — from Lee Landlord');
    await expect(card).toContainText('$1,500.00');
    await expect(card).toContainText('12 months from Jan 15, 2027, ending Jan 31, 2028');
    await expect(card.getByTestId('schedule-row')).toHaveCount(13);
    expect(await card.getByTestId('schedule-row').allInnerTexts()).toEqual(storedRows);
    await shot(renter, testInfo, 'renter-invitation');

    // Accepting commits the renter to the whole term: the terms are spelled out, and Accept waits for "I agree".
    await expect(card.getByTestId('lease-commitment')).toContainText('Lease ends');
    await expect(card.getByTestId('lease-commitment')).toContainText('Jan 31, 2028');
    await expect(card.getByRole('button', { name: 'Accept lease' })).toBeDisabled();
    await card.getByLabel(/I agree to these terms/).check();
    await card.getByRole('button', { name: 'Accept lease' }).click();
    await expect(renter.getByText('You accepted the lease for Birch House.')).toBeVisible();
    await expect(renter.getByText('No invitations waiting')).toBeVisible();
    await renter.getByRole('link', { name: 'View the lease' }).click();
    await expect(renter).toHaveURL(new RegExp(`/renter/leases/${leaseId}$`));
    await expect(renter.getByRole('heading', { level: 1 })).toContainText('Active');
    await expect(scheduleRows(renter)).toHaveCount(13);
    renterRows = scheduleOnly(await scheduleRows(renter).allInnerTexts());
    await expect(renter.getByTestId('timeline-event').filter({ hasText: 'Lease accepted' })).toContainText('Ria Renter (renter)');
    await shot(renter, testInfo, 'renter-lease-active');
  });

  test('the landlord sees the same lease ACTIVE with the same schedule, and who accepted it', async ({}, testInfo) => {
    await landlord.reload();
    await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Active');
    await expect(scheduleRows(landlord)).toHaveCount(13);
    expect(scheduleOnly(await scheduleRows(landlord).allInnerTexts())).toEqual(renterRows);
    expect(renterRows).toEqual(storedRows);
    const timeline = landlord.getByTestId('timeline-event');
    await expect(timeline).toHaveCount(2);
    await expect(timeline.nth(1)).toContainText('Lease accepted');
    await expect(timeline.nth(1)).toContainText('Ria Renter (renter)');
    // The server recomputes the lease's hash chain and says so in a live region.
    await landlord.getByRole('button', { name: 'Verify' }).click();
    await expect(landlord.getByRole('status').filter({ hasText: 'Verified' })).toHaveText('Verified: 2 events, chain intact');
    await shot(landlord, testInfo, 'landlord-lease-active');
  });

  test('the landlord picks an instant before the renter accepted and sees the lease Pending then, without actions; the link is shareable; Now shows it Active', async ({}, testInfo) => {
    await landlord.goto(`/landlord/leases/${leaseId}`);
    await expect(landlord.getByTestId('as-of-banner')).toHaveCount(0);
    // Filled again until it holds: on a loaded machine the fill can land before React hydrates the
    // form, which then renders its own empty value (the fresh-clone CI at 69ed389 saw that once).
    const asOfInput = landlord.getByLabel('As of (ET)');
    await expect(async () => {
      await asOfInput.fill(easternInput(offeredAt));
      await expect(asOfInput).toHaveValue(easternInput(offeredAt), { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await landlord.getByRole('button', { name: 'View as of' }).click();
    await expect(landlord).toHaveURL(/\?asOf=/);
    await expect(landlord.getByTestId('as-of-banner')).toContainText('Viewing as of');
    await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Pending');
    await expect(scheduleRows(landlord)).toHaveCount(13);
    expect(scheduleOnly(await scheduleRows(landlord).allInnerTexts())).toEqual(storedRows);
    await expect(landlord.getByTestId('timeline-event')).toHaveCount(1);
    await expect(landlord.getByTestId('timeline-event').first()).toContainText('Lease offered');
    // The past is read-only: nothing to cancel.
    await expect(landlord.getByRole('button', { name: /Cancel lease/ })).toHaveCount(0);
    await shot(landlord, testInfo, 'landlord-lease-as-of-offer');

    // The same link, opened by the renter through the role-neutral path, shows the same past.
    const asOf = new URL(landlord.url()).searchParams.get('asOf')!;
    await renter.goto(`/leases/${leaseId}?asOf=${encodeURIComponent(asOf)}`);
    await expect(renter).toHaveURL(new RegExp(`/renter/leases/${leaseId}\\?asOf=`));
    await expect(renter.getByTestId('as-of-banner')).toBeVisible();
    await expect(renter.getByRole('heading', { level: 1 })).toContainText('Pending');
    await expect(renter.getByRole('button', { name: 'Accept lease' })).toHaveCount(0);

    await landlord.getByRole('button', { name: 'Now' }).click();
    await expect(landlord).toHaveURL(new RegExp(`/landlord/leases/${leaseId}$`));
    await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Active');
    await expect(landlord.getByTestId('as-of-banner')).toHaveCount(0);
    await expect(landlord.getByTestId('timeline-event')).toHaveCount(2);

    // A link "as of" a future instant is the present: the live page, not a made-up future.
    await landlord.goto(`/landlord/leases/${leaseId}?asOf=${encodeURIComponent('2030-01-01T00:00:00.000Z')}`);
    await expect(landlord.getByRole('heading', { level: 1 })).toContainText('Active');
    await expect(landlord.getByTestId('as-of-banner')).toHaveCount(0);
    // A lease that is not there: HTTP 404 (it was a 200), a heading that says so and the way back, nothing to retry.
    expect((await landlord.goto(`/landlord/leases/${crypto.randomUUID()}`))?.status()).toBe(404);
    await expect(landlord.getByRole('heading', { level: 1 })).toHaveText('Lease not found');
    await expect(landlord.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await expect(landlord.getByRole('link', { name: '← All leases' })).toBeVisible();
  });

  test("the role-neutral link forwards each party to their own page, and the landlord's lists count the lease", async ({}, testInfo) => {
    await renter.goto(`/leases/${leaseId}`);
    await expect(renter).toHaveURL(new RegExp(`/renter/leases/${leaseId}$`));
    await landlord.goto(`/leases/${leaseId}`);
    await expect(landlord).toHaveURL(new RegExp(`/landlord/leases/${leaseId}$`));

    await landlord.goto('/landlord/leases?status=ACTIVE');
    await expect(landlord.getByTestId('lease-row')).toHaveCount(1);
    await expect(landlord.getByTestId('lease-row')).toContainText('Ria Renter');
    await landlord.goto('/landlord');
    await expect(landlord.getByTestId('lease-count-ACTIVE')).toContainText('1');
    await expect(landlord.getByTestId('lease-count-PENDING')).toContainText('0');
    // The lease starts later: nothing fell due yet, said in words rather than an axis of $0 ticks.
    await expect(landlord.getByTestId('collection-chart-empty')).toHaveText('No rent fell due and none was collected in these 12 months yet.');
    await shot(landlord, testInfo, 'landlord-dashboard-after');
  });
});

test('a landlord cancels a pending lease with a reason, and the reason shows in its history', async ({ page }, testInfo) => {
  await signUp(page, { role: 'LANDLORD', name: 'Cass Canceller', email: uniqueEmail('e2e-cancel-landlord') });
  await page.goto('/landlord/bank-accounts');
  await submitBankAccount(page, { nickname: 'Rent income', bankName: 'Second Test Bank', routingNumber: '111000025', accountNumber: '7788990000' });
  await expect(page.getByTestId('bank-account-row')).toContainText('••••0000');

  await page.goto('/landlord/properties/new');
  // Field errors from the schema appear next to the inputs, and nothing is sent.
  await page.getByLabel('ZIP code').fill('9720');
  await page.getByRole('button', { name: 'Add property' }).click();
  await expect(page.getByText('name the property')).toBeVisible();
  await expect(page.getByText('must be a ZIP code: 12345 or 12345-6789')).toBeVisible();
  await shot(page, testInfo, 'property-form-errors');
  await submitProperty(page, { name: 'Cedar Flats', line1: '9 Cedar Rd', city: 'Austin', state: 'TX', postalCode: '78701-1234' });
  await expect(page.getByRole('heading', { name: 'Cedar Flats' })).toBeVisible();

  await page.goto('/landlord/leases/new');
  await page.getByLabel('Renter’s email').fill(uniqueEmail('e2e-never-signs-up'));
  await page.getByLabel('Monthly rent (USD)').fill('2100.50');
  await page.getByLabel('Start date', { exact: true }).fill('2027-03-31');
  await page.getByLabel('Term (months)').fill('3');
  await page.getByLabel('Rent due on').selectOption('31');
  await expect(scheduleRows(page)).toHaveCount(3);
  await expect(scheduleRows(page).nth(1)).toContainText('Apr 30, 2027');
  await page.getByRole('button', { name: 'Create lease and invite renter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Pending');

  await page.getByRole('button', { name: 'Cancel lease…' }).click();
  await page.getByRole('button', { name: 'Cancel lease', exact: true }).click();
  await expect(page.getByText('say why the lease is cancelled')).toBeVisible();
  await page.getByLabel('Why are you cancelling this lease?').fill('The renter found another place.');
  await page.getByRole('button', { name: 'Cancel lease', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cancelled');
  await expect(page.getByText('This lease was cancelled: “The renter found another place.”')).toBeVisible();
  const cancelled = page.getByTestId('timeline-event').filter({ hasText: 'Lease cancelled' });
  await expect(cancelled).toContainText('Cass Canceller (landlord)');
  await expect(cancelled).toContainText('“The renter found another place.”');
  await shot(page, testInfo, 'landlord-lease-cancelled');

  await page.goto('/landlord/leases?status=CANCELLED');
  await expect(page.getByTestId('lease-row')).toHaveCount(1);
  await page.goto('/landlord/leases?status=ACTIVE');
  await expect(page.getByText('No active leases')).toBeVisible();
});

test('@phone a lease detail fits a phone screen, its schedule rows stacked as cards', async ({ page }, testInfo) => {
  await signUp(page, { role: 'LANDLORD', name: 'Pia Phone', email: uniqueEmail('e2e-phone-landlord') });
  await page.goto('/landlord/bank-accounts');
  await submitBankAccount(page, { nickname: 'Rent income', bankName: 'Phone Bank', routingNumber: '026009593', accountNumber: '1212120000' });
  await expect(page.getByTestId('bank-account-row')).toContainText('••••0000');
  await shot(page, testInfo, 'bank-accounts-phone');
  await page.goto('/landlord/properties/new');
  await submitProperty(page, { name: 'Pocket Lofts', line1: '1 Small St', city: 'Boise', state: 'ID', postalCode: '83702' });
  await expect(page.getByRole('heading', { name: 'Pocket Lofts' })).toBeVisible();
  await page.getByRole('link', { name: 'Create lease' }).first().click();
  await page.getByLabel('Renter’s email').fill(uniqueEmail('e2e-phone-renter'));
  await page.getByLabel('Monthly rent (USD)').fill('950');
  await page.getByLabel('Start date', { exact: true }).fill('2027-02-01');
  await expect(scheduleRows(page)).toHaveCount(12);
  await shot(page, testInfo, 'lease-form-phone');
  await page.getByRole('button', { name: 'Create lease and invite renter' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Pending');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, testInfo, 'lease-detail-phone');
});

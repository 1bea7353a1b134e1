// Autopay in the browser: a renter turns it on from the lease page and sees the next pull and
// its notice; the landlord's lease page says it is on with the account's last 4; the renter's
// dashboard lists it. The set-up (accounts, property, lease, acceptance) goes through the tRPC
// HTTP API with each user's own session cookie; the autopay steps go through the pages.
// The first pull is a month or more away on the calendar (minutes at the e2e demo clock), so
// the pulled payment itself is covered by inngest/functions/autopay.engine.test.ts.
import { expect, test, type Page } from '@playwright/test';
import { mailedLink, shot, signUp, uniqueEmail } from './helpers';

/** Calls a tRPC procedure over HTTP as the user signed in on `page` (superjson's `{ json }` envelope). */
async function api<T>(page: Page, kind: 'query' | 'mutation', path: string, input?: unknown): Promise<T> {
  const envelope = JSON.stringify({ json: input ?? null });
  const response =
    kind === 'query'
      ? await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(envelope)}`)
      : await page.request.post(`/api/trpc/${path}`, { data: envelope, headers: { 'content-type': 'application/json' } });
  const body = await response.json();
  if (!response.ok()) throw new Error(`${path} answered ${response.status()}: ${body.error?.json?.message ?? JSON.stringify(body)}`);
  return body.result.data.json as T;
}

test('a renter turns on autopay and sees the next pull; the landlord sees it is on', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const baseURL = testInfo.project.use.baseURL;
  const landlord = await (await browser.newContext({ baseURL })).newPage();
  const renter = await (await browser.newContext({ baseURL })).newPage();
  const renterEmail = uniqueEmail('e2e-autopay-renter');
  await signUp(landlord, { role: 'LANDLORD', name: 'Pat Landlord', email: uniqueEmail('e2e-autopay-landlord') });
  const payout = await api<{ id: string }>(landlord, 'mutation', 'bankAccount.create', {
    nickname: 'Rent income',
    bankName: 'First Test Bank',
    type: 'CHECKING',
    routingNumber: '021000021',
    accountNumber: '7788990000',
  });
  await signUp(renter, { role: 'RENTER', name: 'Robin Renter', email: renterEmail });
  await api(renter, 'mutation', 'me.sendVerificationEmail');
  const link = new URL(await mailedLink(renterEmail, /Confirm your email address/));
  await api(renter, 'mutation', 'me.verifyEmail', { token: link.searchParams.get('token') });
  await api(renter, 'mutation', 'bankAccount.create', { nickname: 'Everyday checking', bankName: 'Test Credit Union', type: 'CHECKING', routingNumber: '011000015', accountNumber: '123451234' });
  const propertyName = `Birch House ${Date.now().toString(36)}`;
  const property = await api<{ id: string }>(landlord, 'mutation', 'property.create', { name: propertyName, line1: '3 Birch Rd', city: 'Austin', state: 'TX', postalCode: '78701' });
  const lease = await api<{ id: string }>(landlord, 'mutation', 'lease.create', {
    propertyId: property.id,
    renterEmail,
    monthlyRentCents: 150_000,
    startDate: '2027-01-01',
    termMonths: 3,
    dueDay: 1,
    payoutAccountId: payout.id,
  });
  await api(renter, 'mutation', 'lease.accept', { id: lease.id });

  // The landlord sees autopay off before the renter turns it on.
  await landlord.goto(`/landlord/leases/${lease.id}`);
  await expect(landlord.getByTestId('autopay-landlord')).toHaveText('Autopay: off');

  await renter.goto(`/renter/leases/${lease.id}`);
  const form = renter.getByRole('form', { name: 'Turn on autopay' });
  await expect(form).toBeVisible();
  await expect(form.getByLabel('Pay from').locator('option:checked')).toContainText('••••1234');
  await form.getByLabel('Rail').selectOption('STANDARD_ACH');
  // Out of range: the server's words under the field (the browser's own bubble said nothing of ours).
  await form.getByLabel('Days before due').fill('40');
  await form.getByRole('button', { name: 'Turn on autopay' }).click();
  await expect(form.getByText(/must be at most \d+ days/)).toBeVisible();
  await form.getByLabel('Days before due').fill('2');
  await shot(renter, testInfo, 'autopay-enable-form');
  await form.getByRole('button', { name: 'Turn on autopay' }).click();

  // Installment 1 is due Fri 2027-01-01 (New Year's Day); 2 days before is Wed Dec 30 2026, so
  // Standard ACH goes out at 5:00 PM ET on Tue Dec 29 and the notice on Sat Dec 26.
  await expect(renter.getByTestId('autopay-next-pull')).toHaveText('$1,500.00 for January 2027 rent (due Jan 1, 2027), sent Tue, Dec 29, 2026, 5:00 PM ET');
  await expect(renter.getByTestId('autopay-next-notice')).toHaveText('Sat, Dec 26, 2026, 5:00 PM ET');
  await expect(renter.getByRole('button', { name: 'Skip next payment' })).toBeVisible();
  await shot(renter, testInfo, 'autopay-on');

  await landlord.reload();
  await expect(landlord.getByTestId('autopay-landlord')).toHaveText('Autopay: on (••••1234)');
  await shot(landlord, testInfo, 'autopay-landlord-view');

  await renter.goto('/renter');
  await expect(renter.getByTestId('autopay-status')).toContainText(`${propertyName}On · next $1,500.00 sent Tue, Dec 29, 2026, 5:00 PM ET`);
  await shot(renter, testInfo, 'autopay-dashboard');

  // Skip the next payment: the next pull moves to installment 2 (due Mon 2027-02-01).
  await renter.goto(`/renter/leases/${lease.id}`);
  await renter.getByRole('button', { name: 'Skip next payment' }).click();
  await expect(renter.getByTestId('autopay-next-pull')).toContainText('for February 2027 rent (due Feb 1, 2027)');
});

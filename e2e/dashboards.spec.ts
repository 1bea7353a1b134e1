// The dashboards in the browser: a new landlord's empty dashboard, then, with a lease two
// months old whose first installment was paid, the chart's numbers (read from its table), the
// totals and the CSV export links; the renter's balance, next due with its Pay button, and the
// printable statement. Set-up goes through the tRPC HTTP API with each user's session cookie;
// what is checked is what the pages show.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, shot, signUp, uniqueEmail, verifyEmailByMail } from './helpers';

const RENT = 150_000;
const money = (cents: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

/** Today in New York (YYYY-MM-DD): the dashboards' months are New York months. */
const todayET = () => new Date().toLocaleDateString('en-CA', { timeZone: 'America/New_York' });
/** 'YYYY-MM' `back` months before this New York month. */
function monthBack(back: number): string {
  const [year, month] = todayET().split('-').map(Number) as [number, number];
  const index = year * 12 + month - 1 - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

interface World {
  landlord: Page;
  renter: Page;
  leaseId: string;
  propertyName: string;
}

test.describe.serial('dashboards', () => {
  let world: World;

  test.beforeAll(async ({ browser }: { browser: Browser }, testInfo) => {
    testInfo.setTimeout(180_000);
    const baseURL = testInfo.project.use.baseURL;
    const landlord = await (await browser.newContext({ baseURL })).newPage();
    const renter = await (await browser.newContext({ baseURL })).newPage();
    await signUp(landlord, { role: 'LANDLORD', name: 'Dash Landlord', email: uniqueEmail('e2e-dash-landlord') });
    // A new landlord: nothing to chart yet.
    await expect(landlord.getByText('Nothing to show yet')).toBeVisible();
    await shot(landlord, testInfo, 'landlord-dashboard-empty');

    const payout = await api<{ id: string }>(landlord, 'mutation', 'bankAccount.create', { nickname: 'Rent income', bankName: 'First Test Bank', type: 'CHECKING', routingNumber: '021000021', accountNumber: '5566770000' });
    const propertyName = `Birch House ${Date.now().toString(36)}`;
    const property = await api<{ id: string }>(landlord, 'mutation', 'property.create', { name: propertyName, line1: '4 Birch Rd', city: 'Austin', state: 'TX', postalCode: '78701' });
    const renterEmail = uniqueEmail('e2e-dash-renter');
    // Due on the 1st, starting two New York months ago: installments 1–3 are due now.
    const lease = await api<{ id: string }>(landlord, 'mutation', 'lease.create', {
      propertyId: property.id,
      renterEmail,
      monthlyRentCents: RENT,
      startDate: `${monthBack(2)}-01`,
      termMonths: 6,
      dueDay: 1,
      payoutAccountId: payout.id,
      confirmPastStart: true,
    });

    await signUp(renter, { role: 'RENTER', name: 'Dash Renter', email: renterEmail });
    // Invited, not accepted yet: the invitation shows, and no lease figures.
    await expect(renter.getByText('No leases yet')).toBeVisible();
    await shot(renter, testInfo, 'renter-dashboard-before-accepting');
    await verifyEmailByMail(renter, renterEmail);
    await api(renter, 'mutation', 'lease.accept', { id: lease.id });
    const from = await api<{ id: string }>(renter, 'mutation', 'bankAccount.create', { nickname: 'Everyday checking', bankName: 'Test Credit Union', type: 'CHECKING', routingNumber: '011000015', accountNumber: '223340000' });
    const { installments } = await api<{ installments: { id: string }[] }>(renter, 'query', 'lease.byId', { id: lease.id });
    await api(renter, 'mutation', 'payment.create', { installmentId: installments[0]!.id, fromAccountId: from.id, rail: 'RTP' });
    await expect
      .poll(async () => (await api<{ items: { status: string }[] }>(renter, 'query', 'payment.list', { leaseId: lease.id })).items.map((p) => p.status), { timeout: 60_000 })
      .toEqual(['COMPLETED']);
    world = { landlord, renter, leaseId: lease.id, propertyName };
  });

  test.afterAll(async () => {
    await world?.landlord.context().close();
    await world?.renter.context().close();
  });

  test('a landlord reads collected vs due from the chart and its table, the totals, and the CSV export links', async ({}, testInfo) => {
    const { landlord, leaseId, propertyName } = world;
    await landlord.goto('/landlord');
    const chart = landlord.getByTestId('collection-chart');
    await expect(chart).toBeVisible();
    await expect(chart.locator('svg.recharts-surface').first()).toBeVisible();
    // The bars are drawn at once (no grow-in animation): three months due, one collected.
    await expect(chart.locator('path.recharts-rectangle')).toHaveCount(4);
    // Three installments fell due and one was paid (it settled this month, over RTP).
    await expect(chart).toContainText(`${money(3 * RENT)} of rent fell due and ${money(RENT)} was collected`);
    const overdue = todayET() > `${monthBack(0)}-01` ? 2 * RENT : RENT;
    const totals = landlord.getByTestId('landlord-totals');
    await expect(totals).toContainText(`Overdue${money(overdue)}`);
    await expect(totals).toContainText(`In flight${money(0)}`);
    await expect(totals).toContainText(`Collected (final)${money(RENT)}`);
    await expect(landlord.getByTestId('activity').filter({ hasText: 'Payment settled' })).toContainText(new RegExp(`${propertyName} · [A-Z][a-z]+ \\d{4} rent · \\$${money(RENT).slice(1)}`));
    // The installment's line names the payment that paid it in words and links it, without its id.
    const paidLine = landlord.getByTestId('activity').filter({ hasText: 'paid by payment' });
    await expect(paidLine).toHaveCount(1);
    await expect(paidLine.getByRole('link')).toHaveAttribute('href', /^\/landlord\/payments\/[0-9a-f-]{36}$/);
    await expect(landlord.getByRole('list', { name: 'Recent activity' })).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await shot(landlord, testInfo, 'landlord-dashboard');

    await chart.getByText('The numbers as a table').click();
    const rows = chart.getByTestId('month-row');
    await expect(rows).toHaveCount(12);
    // innerText: each cell also holds its column's label for phones, hidden on this desktop.
    const row = (month: string) => chart.locator(`[data-testid="month-row"][data-month="${month}"] td`);
    await expect(row(monthBack(2))).toHaveText([money(RENT), money(0), money(0), money(-RENT)], { useInnerText: true });
    await expect(row(monthBack(1))).toHaveText([money(RENT), money(0), money(0), money(-RENT)], { useInnerText: true });
    await expect(row(monthBack(0))).toHaveText([money(RENT), money(RENT), money(0), money(0)], { useInnerText: true });
    await expect(row(monthBack(3))).toHaveText([money(0), money(0), money(0), money(0)], { useInnerText: true });
    await shot(landlord, testInfo, 'landlord-dashboard-table');

    // The exports (route handlers built separately): the links point at them.
    await expect(landlord.getByRole('link', { name: 'Payments (CSV)' })).toHaveAttribute('href', '/api/export/payments.csv');
    await expect(landlord.getByRole('link', { name: `Ledger of ${propertyName} (CSV)` })).toHaveAttribute('href', `/api/export/ledger.csv?leaseId=${leaseId}`);
  });

  test('a renter sees the balance and next due with its Pay button, and opens the printable statement', async ({}, testInfo) => {
    const { renter, leaseId, propertyName } = world;
    await renter.goto('/renter');
    const balance = renter.getByTestId('renter-balance');
    await expect(balance).toContainText(`You owe now${money(2 * RENT)}`);
    const lease = renter.getByTestId('renter-lease').filter({ hasText: propertyName });
    await expect(lease.getByTestId('lease-balance')).toHaveText(money(2 * RENT));
    const due = lease.getByTestId('rent-due');
    await expect(due).toContainText(/[A-Z][a-z]+ \d{4} rent/);
    await expect(due).toContainText('Overdue');
    await expect(due.getByRole('link', { name: 'Pay next' })).toHaveAttribute('href', new RegExp(`/renter/payments/new\\?lease=${leaseId}&installment=`));
    await expect(lease.getByRole('link', { name: `Statement of ${propertyName} (CSV)` })).toHaveAttribute('href', `/api/export/statement.csv?leaseId=${leaseId}`);
    await shot(renter, testInfo, 'renter-dashboard');

    await lease.getByRole('link', { name: 'Statement (printable)' }).click();
    await expect(renter).toHaveURL(new RegExp(`/renter/leases/${leaseId}/statement$`));
    await expect(renter.getByRole('heading', { name: 'Lease statement' })).toBeVisible();
    await expect(renter.getByTestId('statement-balance')).toHaveText(money(2 * RENT));
    // Three charges and the payment sent, each with the balance after it.
    const lines = renter.getByTestId('statement-line');
    await expect(lines).toHaveCount(4);
    await expect(lines.last()).toContainText('Payment sent');
    await expect(lines.last()).toContainText(money(2 * RENT));
    await renter.emulateMedia({ media: 'print' });
    await expect(renter.locator('header').first()).toBeHidden();
    await expect(renter.getByRole('button', { name: 'Print' })).toBeHidden();
    await shot(renter, testInfo, 'renter-statement-print');
    await renter.emulateMedia({ media: 'screen' });

    // Someone else's (or no) lease has no statement.
    expect((await renter.goto('/renter/leases/00000000-0000-4000-8000-000000000000/statement'))?.status()).toBe(404);
    await expect(renter.getByRole('heading', { name: 'Lease not found' })).toBeVisible();
  });
});

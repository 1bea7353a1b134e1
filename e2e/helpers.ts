import { expect, type Browser, type BrowserContextOptions, type Page, type TestInfo } from '@playwright/test';

/** A browser session's cookies and storage (Playwright's storageState). */
export type StorageState = Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>;
import pg from 'pg';

export const DEMO = {
  landlord: { email: 'landlord@directpay.test', password: 'landlord-demo-2026', name: 'Dana Landlord' },
  renter: { email: 'renter@directpay.test', password: 'renter-demo-2026', name: 'Riley Renter' },
  /** An operator because scripts/e2e.ts lists it in OPERATOR_EMAILS. */
  operator: { email: 'operator@directpay.test', password: 'operator-demo-2026', name: 'Olive Operator' },
};

/** A full-page screenshot kept under test-results/screenshots/<project>/<name>.png. */
export async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${testInfo.project.name}/${name}.png`, fullPage: true });
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/** Signs up through the form (the role already chosen when the page was opened with ?role=) and waits for the dashboard. */
export async function signUp(
  page: Page,
  user: { role: 'LANDLORD' | 'RENTER'; name: string; email: string; password?: string },
  options: { prefilled?: boolean; fillEmail?: boolean; landsOn?: RegExp } = {},
) {
  if (!options.prefilled) {
    await page.goto('/sign-up');
    await page.getByText(user.role === 'LANDLORD' ? 'Landlord' : 'Renter', { exact: true }).click();
  }
  if (!options.prefilled || options.fillEmail) await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Full name').fill(user.name);
  await page.getByLabel('Password').fill(user.password ?? 'a perfectly long passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(options.landsOn ?? (user.role === 'LANDLORD' ? /\/landlord$/ : /\/renter$/));
}

export interface BankAccountFields {
  nickname: string;
  bankName: string;
  type?: 'Checking' | 'Savings';
  routingNumber: string;
  /** End it in 0000: the bank simulator always settles payments from such accounts. */
  accountNumber: string;
}

/** Submits the add-account form of the bank accounts page the page is on. */
export async function submitBankAccount(page: Page, account: BankAccountFields) {
  await page.getByLabel('Nickname').fill(account.nickname);
  await page.getByLabel('Bank name').fill(account.bankName);
  await page.getByLabel('Account type').selectOption({ label: account.type ?? 'Checking' });
  await page.getByLabel('Routing number').fill(account.routingNumber);
  await page.getByLabel('Account number').fill(account.accountNumber);
  await page.getByRole('button', { name: 'Add account' }).click();
}

export interface PropertyFields {
  name: string;
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
}

/** Fills and submits the add-property form of the page it is on (without waiting for the outcome). */
export async function submitProperty(page: Page, property: PropertyFields) {
  await page.getByLabel('Name', { exact: true }).fill(property.name);
  await page.getByLabel('Street address').fill(property.line1);
  if (property.line2) await page.getByLabel('Apartment, suite, etc. (optional)').fill(property.line2);
  await page.getByLabel('City').fill(property.city);
  await page.getByLabel('State').selectOption(property.state);
  await page.getByLabel('ZIP code').fill(property.postalCode);
  await page.getByRole('button', { name: 'Add property' }).click();
}

/**
 * The newest /verify-email link mailed to `to` whose subject matches, read from the embedded
 * mail catcher's table (scripts/e2e.ts gives Playwright the app's DATABASE_URL), as the
 * person would read it in their inbox. Polls until it arrives.
 */
export async function mailedLink(to: string, subject: RegExp, timeoutMs = 30_000): Promise<string> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ subject: string; text: string | null }>('SELECT subject, text FROM "CaughtMail" WHERE $1 = ANY("to") ORDER BY "receivedAt" DESC', [to]);
      const link = rows.filter((row) => subject.test(row.subject)).map((row) => /https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(row.text ?? '')?.[0])[0];
      if (link) return link;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}

/** Calls a tRPC procedure over HTTP as the user signed in on `page` (superjson's `{ json }` envelope). */
export async function api<T>(page: Page, kind: 'query' | 'mutation', path: string, input?: unknown): Promise<T> {
  const envelope = JSON.stringify({ json: input ?? null });
  const response =
    kind === 'query'
      ? await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(envelope)}`)
      : await page.request.post(`/api/trpc/${path}`, { data: envelope, headers: { 'content-type': 'application/json' } });
  const body = await response.json();
  if (!response.ok()) throw new Error(`${path} answered ${response.status()}: ${body.error?.json?.message ?? JSON.stringify(body)}`);
  return body.result.data.json as T;
}

/**
 * Confirms that the renter signed in on `page` reads `email`, as a person would: asks for a
 * verification mail and follows its link (read from the embedded catcher). Invitations show to,
 * and can be accepted by, a renter who did.
 */
export async function verifyEmailByMail(page: Page, email: string): Promise<void> {
  await api(page, 'mutation', 'me.sendVerificationEmail');
  const link = new URL(await mailedLink(email, /Confirm your email address/));
  await api(page, 'mutation', 'me.verifyEmail', { token: link.searchParams.get('token') });
}

export type SessionState = Awaited<ReturnType<import('@playwright/test').BrowserContext['storageState']>>;

/** What `seedPortal` made: both parties' sessions and the ids their pages need. */
export interface SeededPortal {
  landlord: SessionState;
  renter: SessionState;
  propertyId: string;
  leaseId: string;
  /** An installment with no payment yet (the pay-rent form's). */
  unpaidInstallmentId: string;
  completedPaymentId: string;
  failedPaymentId: string;
}

/**
 * Two browser sessions of their own, a landlord's and a renter's, each with its own cookies
 * (`options` may sign them in with a saved session, and give the renter a device). `close` ends both.
 */
export async function openTwoParties(
  browser: Browser,
  baseURL: string | undefined,
  options: { landlord?: StorageState; renter?: StorageState; renterDevice?: BrowserContextOptions } = {},
): Promise<{ landlord: Page; renter: Page; close: () => Promise<void> }> {
  const landlordContext = await browser.newContext({ baseURL, storageState: options.landlord });
  const renterContext = await browser.newContext({ ...options.renterDevice, baseURL, storageState: options.renter });
  return {
    landlord: await landlordContext.newPage(),
    renter: await renterContext.newPage(),
    close: async () => {
      await Promise.all([landlordContext.close(), renterContext.close()]);
    },
  };
}

/**
 * A landlord and a renter of their own with something on every page: a payout account, a
 * property, an ACTIVE 3-month lease, one payment completed (…0000 over RTP) and one failed
 * (…0001, insufficient funds), a webhook endpoint (pointing where nothing listens, so its
 * deliveries fail) and an API token each. Set-up goes through the tRPC HTTP API with each
 * user's session; two sign-ups and a few settlements take about half a minute on a busy machine.
 */
export async function seedPortal(browser: Browser, baseURL: string | undefined): Promise<SeededPortal> {
  const { landlord, renter, close } = await openTwoParties(browser, baseURL);
  try {
    const renterEmail = uniqueEmail('e2e-screens-renter');
    await signUp(landlord, { role: 'LANDLORD', name: 'Sasha Screens', email: uniqueEmail('e2e-screens-landlord') });
    const payout = await api<{ id: string }>(landlord, 'mutation', 'bankAccount.create', { nickname: 'Rent income', bankName: 'First Test Bank', type: 'CHECKING', routingNumber: '021000021', accountNumber: '5566770000' });
    await signUp(renter, { role: 'RENTER', name: 'Remy Screens', email: renterEmail });
    await verifyEmailByMail(renter, renterEmail);
    const good = await api<{ id: string }>(renter, 'mutation', 'bankAccount.create', { nickname: 'Everyday checking', bankName: 'Test Credit Union', type: 'CHECKING', routingNumber: '011000015', accountNumber: '987650000' });
    const empty = await api<{ id: string }>(renter, 'mutation', 'bankAccount.create', { nickname: 'Empty savings', bankName: 'Test Credit Union', type: 'SAVINGS', routingNumber: '011000015', accountNumber: '987650001' });
    for (const page of [landlord, renter]) {
      const endpoint = await api<{ id: string }>(page, 'mutation', 'webhook.create', { url: 'http://127.0.0.1:9/nobody-listens', events: ['payment.completed', 'payment.failed', 'lease.accepted'] });
      await api(page, 'mutation', 'webhook.sendTest', { endpointId: endpoint.id });
      await api(page, 'mutation', 'apiToken.create', { name: 'Bookkeeping sync' });
    }
    const property = await api<{ id: string }>(landlord, 'mutation', 'property.create', { name: 'Harbor View Apartments, Building C', line1: '400 Harbor Boulevard', line2: 'Unit 12B', city: 'San Francisco', state: 'CA', postalCode: '94111' });
    const lease = await api<{ id: string }>(landlord, 'mutation', 'lease.create', { propertyId: property.id, renterEmail, monthlyRentCents: 245_000, startDate: '2027-01-01', termMonths: 3, dueDay: 1, payoutAccountId: payout.id });
    await api(renter, 'mutation', 'lease.accept', { id: lease.id });
    const { installments } = await api<{ installments: { id: string }[] }>(renter, 'query', 'lease.byId', { id: lease.id });
    const pay = async (installmentId: string, fromAccountId: string, expected: string) => {
      const payment = await api<{ id: string }>(renter, 'mutation', 'payment.create', { installmentId, fromAccountId, rail: 'RTP' });
      await expect.poll(async () => (await api<{ status: string }>(renter, 'query', 'payment.byId', { id: payment.id })).status, { timeout: 30_000 }).toBe(expected);
      return payment.id;
    };
    const completedPaymentId = await pay(installments[0]!.id, good.id, 'COMPLETED');
    const failedPaymentId = await pay(installments[1]!.id, empty.id, 'FAILED');
    return {
      landlord: await landlord.context().storageState(),
      renter: await renter.context().storageState(),
      propertyId: property.id,
      leaseId: lease.id,
      unpaidInstallmentId: installments[2]!.id,
      completedPaymentId,
      failedPaymentId,
    };
  } finally {
    await close();
  }
}

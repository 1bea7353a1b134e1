import type { Page, TestInfo } from '@playwright/test';
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

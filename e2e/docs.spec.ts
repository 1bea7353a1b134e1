// /docs: the API reference renders (Swagger UI reading /api/openapi.json) under the pages' CSP,
// with its prose — auth, idempotency, errors, rate limits, webhooks — and the copy-paste curl
// for paying rent, and it is interactive: an operation opens to its parameters and request
// body. @phone: it stays readable on a phone too.
import { expect, test } from '@playwright/test';
import { shot } from './helpers';

test('the API reference at /docs shows the prose and the curl for paying rent, and opens an operation to its parameters and body, with no CSP violation @phone', async ({ page }, testInfo) => {
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const response = await page.goto('/docs');
  expect(response!.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'DirectPay API', level: 1, exact: true })).toBeVisible();
  // Swagger UI rendered the document's Markdown description …
  for (const heading of ['Authentication', 'Idempotency', 'Errors', 'Rate limits', 'Webhooks', 'Paying rent with curl']) {
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible({ timeout: 30_000 });
  }
  await expect(page.getByText("-H 'Idempotency-Key: rent-2027-01-unit-3'")).toBeVisible();
  await expect(page.getByText('Authorization: Bearer dp_…').first()).toBeVisible();
  // … and the operations, grouped by tag.
  const createPayment = page.locator('.opblock').filter({ hasText: 'Pay one installment' });
  await expect(createPayment).toBeVisible();
  await expect(createPayment.locator('.opblock-summary-method')).toHaveText('POST');
  await expect(createPayment.locator('.opblock-summary-path')).toContainText('/payments');
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  await page.getByRole('heading', { name: 'Paying rent with curl', exact: true }).scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'docs');

  // Expanding "Pay one installment" resolves it: its Idempotency-Key header parameter and its
  // request body's schema (the fields of POST /payments).
  await createPayment.locator('.opblock-summary-control').click();
  await expect(createPayment.locator('.opblock-summary-control')).toHaveAttribute('aria-expanded', 'true');
  const idempotencyKey = createPayment.locator('tr[data-param-name="Idempotency-Key"]');
  await expect(idempotencyKey).toBeVisible({ timeout: 30_000 });
  await expect(idempotencyKey.locator('.parameter__in')).toHaveText('(header)');
  const body = createPayment.locator('.opblock-section-request-body');
  await expect(body.getByRole('heading', { name: 'Request body' })).toBeVisible();
  await body.getByRole('tab', { name: 'Schema' }).click();
  for (const field of ['installmentId', 'fromAccountId', 'rail']) {
    await expect(body.getByText(field, { exact: true }).first()).toBeVisible();
  }
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  await createPayment.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'docs-pay-one-installment');
});

// The background-runs dashboard (/dev/inngest) on the real engine: an operator invokes a
// function, follows its run to completion with its steps, finds it in the runs list, and
// sends a test event. scripts/e2e.ts runs the app with OPERATOR_DASHBOARD=true, where the
// dashboard needs a signed-in user and is a 404 for anyone else.
import { expect, test } from '@playwright/test';
import { shot, signUp, uniqueEmail } from './helpers';

const RECOVERY_FUNCTION = 'directpay-recover-stale-payments';

test('the dashboard is not found for a visitor who is not signed in', async ({ page }) => {
  const response = await page.goto('/dev/inngest');
  expect(response?.status()).toBe(404);
});

test('an operator invokes a function and sees its run and steps', async ({ page }, testInfo) => {
  await signUp(page, { role: 'RENTER', name: 'Olive Operator', email: uniqueEmail('e2e-operator') });

  await page.goto('/dev/inngest/functions');
  const row = page.getByTestId('function-row').filter({ hasText: RECOVERY_FUNCTION });
  await expect(row).toBeVisible();
  await expect(row.getByText('cron')).toBeVisible();
  await row.getByText('Invoke…').click();
  await row.getByRole('button', { name: 'Invoke' }).click();

  await page.waitForURL(/\/dev\/inngest\/runs\/[0-9A-Z]{26}$/);
  const runId = page.url().split('/').at(-1)!;
  await expect(page.getByText('inngest/function.invoked').first()).toBeVisible();
  // The page follows the run live until it completes.
  await expect(page.getByRole('heading', { level: 2 }).filter({ hasText: 'Completed' })).toBeVisible();
  const steps = page.getByTestId('run-step');
  await expect(steps.first()).toBeVisible();
  await expect(steps.first()).toContainText('step.run');
  await steps.first().locator('summary').click();
  await expect(steps.first().getByText('Output')).toBeVisible();
  await expect(steps.first().getByText('Attempt 1')).toBeVisible();
  await shot(page, testInfo, 'inngest-run');

  await page.goto(`/dev/inngest?function=${RECOVERY_FUNCTION}`);
  const listed = page.getByTestId('run-row').filter({ hasText: runId });
  await expect(listed).toBeVisible();
  await expect(listed.getByText('Completed')).toBeVisible();
  await shot(page, testInfo, 'inngest-runs');
});

test('an operator sends a test event and finds it in the stream', async ({ page }, testInfo) => {
  await signUp(page, { role: 'LANDLORD', name: 'Otto Operator', email: uniqueEmail('e2e-operator') });
  await page.goto('/dev/inngest/events');
  const name = `e2e/nobody-listens-${Date.now()}`;
  await page.getByLabel('Event name').first().fill(name);
  await page.getByLabel('Data (JSON object)').fill('{ not json');
  await expect(page.getByText(/Not valid JSON/)).toBeVisible();
  await page.getByLabel('Data (JSON object)').fill('{ "leaseId": "00000000-0000-4000-8000-000000000001" }');
  await page.getByRole('button', { name: 'Send event' }).click();
  await expect(page.getByText(`Sent ${name}: no function is triggered by it.`)).toBeVisible();
  const event = page.getByTestId('event-row').filter({ hasText: name });
  await expect(event).toBeVisible();
  await expect(event.getByRole('link', { name: /^Lease / })).toHaveAttribute('href', '/leases/00000000-0000-4000-8000-000000000001');
  await shot(page, testInfo, 'inngest-events');
});

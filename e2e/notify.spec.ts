// Email and webhooks in the browser: a landlord adds a webhook pointing at a receiver this
// spec runs on 127.0.0.1 and watches a signed test delivery arrive; an operator (any
// signed-in user: scripts/e2e.ts turns OPERATOR_DASHBOARD on) reads a caught mail at /dev/mail.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { DEMO, shot, signIn, signUp, uniqueEmail } from './helpers';

test('a landlord adds a webhook endpoint, sends a test event and sees it delivered, signed', async ({ page }, testInfo) => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/directpay`;
  try {
    await signUp(page, { role: 'LANDLORD', name: 'Hook Landlord', email: uniqueEmail('e2e-webhook-landlord') });
    await page.goto('/settings');
    const section = page.locator('#webhooks');
    await section.getByLabel('Endpoint URL').fill(url);
    await section.getByLabel('lease.accepted').check();
    await section.getByRole('button', { name: 'Add endpoint' }).click();
    const secret = (await page.getByTestId('webhook-secret').innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    const endpoint = page.getByTestId('webhook-endpoint').filter({ hasText: url });
    await expect(endpoint).toContainText('payment.completed, payment.failed, lease.accepted');

    await endpoint.getByRole('button', { name: 'Send test event' }).click();
    const delivery = endpoint.getByTestId('webhook-delivery').first();
    await expect(delivery).toContainText('webhook.test');
    await expect(delivery).toContainText('delivered', { timeout: 20_000 });
    await expect(delivery).toContainText('#1 204');
    await shot(page, testInfo, 'settings-webhook-delivered');

    expect(received).toHaveLength(1);
    const payload = new Webhook(secret).verify(received[0]!.body, received[0]!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'webhook.test', data: { message: 'A test event from DirectPay' } });
    await expect(delivery).toContainText(received[0]!.headers['webhook-id'] as string);
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test('a renter asks for a verification mail; an operator reads it at /dev/mail, and its link confirms the address', async ({ page: renter, browser }, testInfo) => {
  const email = uniqueEmail('e2e-mail-renter');
  await signUp(renter, { role: 'RENTER', name: 'Mia Mail', email });
  await expect(renter.getByText(`Confirm that ${email} is yours`)).toBeVisible();
  await renter.getByRole('button', { name: 'Send me a verification email' }).click();
  await expect(renter.getByText('Sent — open the email and follow its link.')).toBeVisible();
  // /dev/mail is for operators only: the renter finds nothing there.
  await renter.goto('/dev/mail');
  await expect(renter.getByRole('heading', { name: 'Not found' })).toBeVisible();

  const operatorContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const page = await operatorContext.newPage();
  await signIn(page, DEMO.operator.email, DEMO.operator.password);
  await page.waitForURL(/\/renter$/);
  await page.goto(`/dev/mail?${new URLSearchParams({ to: email })}`);
  await expect(page.getByRole('heading', { name: 'Caught mail' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Confirm your email address' })).toBeVisible({ timeout: 20_000 });
  await page.getByRole('link', { name: 'Confirm your email address' }).click();
  await expect(page.getByTestId('mail-to')).toHaveText(email);
  const text = await page.getByTestId('mail-text').innerText();
  expect(text).toContain('Hello Mia Mail, confirm that this address is yours');
  await expect(page.frameLocator('iframe[title="HTML part"]').getByRole('link', { name: 'Confirm my address' })).toBeVisible();
  await shot(page, testInfo, 'dev-mail-message');

  const link = new URL(/https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(text)![0]);
  await operatorContext.close();
  // The renter follows the link from their mailbox.
  await renter.goto(link.pathname + link.search);
  await expect(renter.getByText(`Your address ${email} is confirmed.`)).toBeVisible();
  await renter.goto('/renter');
  await expect(renter.getByText(`Confirm that ${email} is yours`)).toHaveCount(0);
});

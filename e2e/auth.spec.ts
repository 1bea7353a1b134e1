import { expect, test } from '@playwright/test';
import { DEMO, shot, signIn, signUp, uniqueEmail } from './helpers';

const DEMO_RENTER = DEMO.renter;

test('a visitor signs up as a landlord, lands on the landlord dashboard and signs out', async ({ page }, testInfo) => {
  const email = uniqueEmail('e2e-landlord');
  await page.goto('/sign-up');
  await page.getByText('Landlord', { exact: true }).click();
  await page.getByLabel('Full name').fill('Erin Owner');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a perfectly long passphrase');
  await shot(page, testInfo, 'sign-up-filled');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/landlord$/);
  await expect(page.getByRole('heading', { name: 'Landlord dashboard' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toContainText('Erin Owner');
  await expect(page.getByText('Landlord', { exact: true }).first()).toBeVisible();
  await shot(page, testInfo, 'landlord-dashboard');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/landlord');
  // Signed out, a page sends the visitor to sign in and back to it.
  await expect(page).toHaveURL(/\/sign-in\?next=%2Flandlord$/);
});

test('@phone a sign-out the server cannot complete says so and keeps the user signed in; the next try signs out', async ({ page }, testInfo) => {
  const email = uniqueEmail('e2e-signout-outage');
  await signUp(page, { role: 'RENTER', name: 'Otto Outage', email, password: 'a perfectly long passphrase' });
  await expect(page).toHaveURL(/\/renter$/);
  // The server's answer while its database is away (session.test.ts gets it from the real route):
  // 503 with Retry-After, the session not ended and the cookie kept. Here the browser is given it.
  await page.route('**/api/auth/signout', (route) =>
    route.fulfill({ status: 503, headers: { 'retry-after': '5' }, contentType: 'application/json', body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'DirectPay is temporarily unavailable; try again shortly' } }) }),
  );
  // On a phone, Sign out is in the Menu.
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'could not confirm your sign-out' });
  await expect(alert).toBeVisible();
  await expect(alert).toBeInViewport();
  await expect(page).toHaveURL(/\/renter$/);
  await shot(page, testInfo, 'sign-out-failed');
  await page.unroute('**/api/auth/signout');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/renter');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Frenter$/);
});

test('a sign-in the server cannot answer in next-auth\'s own words says it is unavailable, and the form can be sent again', async ({ page }) => {
  // The server's 503 when the database failed as the session was started (the API's error shape,
  // no next-auth `url`): next-auth's client threw on it, and the button stayed busy for good
  // (found by a stranger). Here the browser is given that answer.
  await page.route('**/api/auth/callback/credentials', (route) =>
    route.fulfill({ status: 503, headers: { 'retry-after': '5' }, contentType: 'application/json', body: JSON.stringify({ error: { json: { message: 'DirectPay is temporarily unavailable; try again shortly', code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } } } }) }),
  );
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(DEMO_RENTER.email);
  await page.getByLabel('Password').fill(DEMO_RENTER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Signing in is temporarily unavailable. Try again in a moment.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await page.unroute('**/api/auth/callback/credentials');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/renter$/);
});

test('the demo renter signs in and sees the renter dashboard', async ({ page }, testInfo) => {
  await signIn(page, DEMO_RENTER.email, DEMO_RENTER.password);
  await expect(page).toHaveURL(/\/renter$/);
  await expect(page.getByRole('heading', { name: 'Renter dashboard' })).toBeVisible();
  await expect(page.getByTestId('signed-in-user')).toContainText('Riley Renter');
  await shot(page, testInfo, 'renter-dashboard');
  // A renter who tries a landlord page is sent back to their own dashboard.
  await page.goto('/landlord');
  await expect(page).toHaveURL(/\/renter$/);
});

test('a page of the portal is a 307 to sign in for a visitor, and the either-party links are a 307 to the signed-in user’s own page', async ({ page, request }) => {
  const id = '00000000-0000-4000-8000-0000000000e2';
  // /settings, /notifications, /leases/… and /payments/… answered 200 with the redirect inside the page.
  for (const path of ['/renter', '/landlord', '/settings', '/notifications', '/renter/payments', `/renter/payments/${id}`, `/leases/${id}`, `/payments/${id}?asOf=2026-01-01`]) {
    const answer = await request.get(path, { maxRedirects: 0 });
    expect({ path, status: answer.status(), location: answer.headers().location }).toEqual({ path, status: 307, location: `/sign-in?${new URLSearchParams({ next: path })}` });
  }
  await signIn(page, DEMO_RENTER.email, DEMO_RENTER.password);
  await expect(page).toHaveURL(/\/renter$/);
  for (const [path, location] of [
    [`/leases/${id}`, `/renter/leases/${id}`],
    [`/payments/${id}`, `/renter/payments/${id}`],
  ]) {
    const answer = await page.request.get(path!, { maxRedirects: 0 });
    expect({ path, status: answer.status(), location: answer.headers().location }).toEqual({ path, status: 307, location });
  }
  expect((await page.request.get('/leases/not-an-id', { maxRedirects: 0 })).status()).toBe(404);
});

test("next-auth's endpoints answer a HEAD as their GET, and a session update without its CSRF token with the API's JSON 400", async ({ page }) => {
  await signIn(page, DEMO_RENTER.email, DEMO_RENTER.password);
  await expect(page).toHaveURL(/\/renter$/);
  // next-auth serves no HEAD: it answered each a text/plain 400.
  for (const path of ['/api/auth/session', '/api/auth/csrf', '/api/auth/providers']) {
    const head = await page.request.head(path);
    expect({ path, status: head.status(), type: head.headers()['content-type'] }).toEqual({ path, status: 200, type: expect.stringMatching(/^application\/json/) });
  }
  // It answered these 400 with the text "[object Object]".
  for (const form of [{}, { csrfToken: 'not-the-token' }] as Record<string, string>[]) {
    const update = await page.request.post('/api/auth/session', { form });
    expect(update.status()).toBe(400);
    expect((await update.json()).error.json).toMatchObject({ message: 'A session update needs the csrfToken from /api/auth/csrf', data: { code: 'BAD_REQUEST' } });
  }
  // The session is still there, unchanged.
  expect((await (await page.request.get('/api/auth/session')).json()).user.email).toBe(DEMO_RENTER.email);
});

test('a wrong password shows an error and keeps the visitor signed out', async ({ page }, testInfo) => {
  await signIn(page, DEMO_RENTER.email, 'not the password at all');
  await expect(page.getByRole('alert').filter({ hasText: 'incorrect' })).toHaveText('Email or password is incorrect.');
  await expect(page).toHaveURL(/\/sign-in$/);
  await shot(page, testInfo, 'sign-in-wrong-password');
});

test('sign-up shows field errors inline and writes nothing', async ({ page }, testInfo) => {
  await page.goto('/sign-up');
  await page.getByText('Renter', { exact: true }).click();
  await page.getByLabel('Full name').fill('Short Pass');
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('must be a valid email address')).toBeVisible();
  await expect(page.getByText('must be at least 12 characters')).toBeVisible();
  await shot(page, testInfo, 'sign-up-errors');
});

test('the demo email is taken: sign-up answers with a clear error on the email field', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByText('Renter', { exact: true }).click();
  await page.getByLabel('Full name').fill('Copy Cat');
  await page.getByLabel('Email').fill(DEMO_RENTER.email);
  await page.getByLabel('Password').fill('another long passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('an account with this email already exists')).toBeVisible();
});

test('@phone the renter dashboard fits a phone screen', async ({ page }, testInfo) => {
  await signIn(page, DEMO_RENTER.email, DEMO_RENTER.password);
  await expect(page.getByRole('heading', { name: 'Renter dashboard' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, testInfo, 'renter-dashboard-phone');
});

test('sign-out, a password change and "sign out everywhere" end sessions on the server: a replayed cookie is sent to sign-in', async ({ browser }, testInfo) => {
  // Three browsers, three sign-ins and about twenty page loads.
  test.setTimeout(180_000);
  const email = uniqueEmail('e2e-sessions');
  const password = 'a perfectly long passphrase';
  const newPassword = 'another perfectly long passphrase';
  const [desk, laptop, phone] = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [onDesk, onLaptop, onPhone] = await Promise.all([desk.newPage(), laptop.newPage(), phone.newPage()]);
  await signUp(onDesk, { role: 'RENTER', name: 'Sam Sessions', email, password });
  for (const page of [onLaptop, onPhone]) {
    await signIn(page, email, password);
    await page.waitForURL(/\/renter$/);
  }

  // Sign-out ends the phone's session only: its old cookie, put back, is nobody.
  const phoneCookies = await phone.cookies();
  await onPhone.getByRole('button', { name: 'Sign out' }).click();
  await expect(onPhone).toHaveURL(/\/sign-in$/);
  await phone.addCookies(phoneCookies);
  await onPhone.goto('/renter');
  await expect(onPhone).toHaveURL(/\/sign-in\?next=%2Frenter$/);
  expect((await phone.request.get('/api/trpc/me.get')).status()).toBe(401);
  await onLaptop.goto('/renter');
  await expect(onLaptop).toHaveURL(/\/renter$/);

  // A password change on the desk ends the laptop's session and keeps the desk's.
  await onDesk.goto('/settings');
  await onDesk.getByLabel('Current password').fill('not my password at all');
  await onDesk.getByLabel('New password').fill(newPassword);
  await onDesk.getByRole('button', { name: 'Change password' }).click();
  await expect(onDesk.getByText('is not your current password')).toBeVisible();
  await onDesk.getByLabel('Current password').fill(password);
  await onDesk.getByRole('button', { name: 'Change password' }).click();
  await expect(onDesk.getByText('Password changed. Signed out 1 other session; this browser stays signed in.')).toBeVisible();
  await shot(onDesk, testInfo, 'settings-password-changed');
  await onLaptop.goto('/renter');
  await expect(onLaptop).toHaveURL(/\/sign-in\?next=%2Frenter$/);
  await onDesk.goto('/renter');
  await expect(onDesk).toHaveURL(/\/renter$/);

  // Sign out everywhere ends the desk's own session; its old cookie is nobody too.
  const deskCookies = await desk.cookies();
  await onDesk.goto('/settings');
  await onDesk.getByRole('button', { name: 'Sign out everywhere…' }).click();
  await onDesk.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
  await expect(onDesk).toHaveURL(/\/sign-in$/);
  await desk.addCookies(deskCookies);
  await onDesk.goto('/settings');
  await expect(onDesk).toHaveURL(/\/sign-in\?next=%2Fsettings$/);
  expect((await desk.request.post('/api/trpc/apiToken.create', { data: { json: { name: 'replayed' } } })).status()).toBe(401);

  // The new password signs in; the old one does not.
  await signIn(onLaptop, email, password);
  await expect(onLaptop.getByRole('alert').filter({ hasText: 'incorrect' })).toBeVisible();
  await signIn(onLaptop, email, newPassword);
  await expect(onLaptop).toHaveURL(/\/renter$/);
  await Promise.all([desk.close(), laptop.close(), phone.close()]);
});

test('a record page for something that is not there, or not yours, is an HTTP 404 that says which and links back (each was a 200)', async ({ browser }, testInfo) => {
  const missing = crypto.randomUUID();
  for (const [who, pages] of [
    ['renter', [[`/renter/payments/${missing}`, 'Payment not found', '← All payments'], [`/renter/payments/${missing}/receipt`, 'Payment not found', '← All payments'], [`/renter/leases/${missing}?asOf=2026-01-01`, 'Lease not found', '← All leases'], ['/renter/leases/not-an-id', 'Lease not found', '← All leases']]],
    ['landlord', [[`/landlord/payments/${missing}`, 'Payment not found', '← All payments'], [`/landlord/leases/${missing}`, 'Lease not found', '← All leases'], [`/landlord/properties/${missing}`, 'Property not found', '← All properties']]],
  ] as const) {
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    const page = await context.newPage();
    await signIn(page, DEMO[who].email, DEMO[who].password);
    await page.waitForURL(new RegExp(`/${who}$`));
    for (const [path, heading, back] of pages) {
      expect({ path, status: (await page.goto(path))?.status() }).toEqual({ path, status: 404 });
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
      await expect(page.getByRole('link', { name: back })).toBeVisible();
    }
    await shot(page, testInfo, `${who}-record-not-found`);
    await context.close();
  }
});

import { expect, test } from '@playwright/test';
import { DEMO, shot, signIn, uniqueEmail } from './helpers';

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
  await expect(page).toHaveURL(/\/sign-in$/);
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

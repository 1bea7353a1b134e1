import { expect, test } from '@playwright/test';
import { shot, signUp, submitBankAccount, uniqueEmail } from './helpers';

test('a renter adds two bank accounts, sees only their last 4 digits, and switches the primary', async ({ page }, testInfo) => {
  await signUp(page, { role: 'RENTER', name: 'Bo Banker', email: uniqueEmail('e2e-bank-renter') });
  await expect(page.getByText('Link the bank account you will pay rent from.')).toBeVisible();
  await page.getByRole('link', { name: 'Bank accounts' }).click();
  await expect(page).toHaveURL(/\/renter\/bank-accounts$/);
  await expect(page.getByText('No bank accounts yet')).toBeVisible();

  // Bad input: the schema's messages appear next to the fields.
  await submitBankAccount(page, { nickname: 'Oops', bankName: 'Typo Bank', type: 'Checking', routingNumber: '021000022', accountNumber: '12' });
  await expect(page.getByText('is not a valid ABA routing number; check the digits')).toBeVisible();
  await expect(page.getByText('must be 4 to 17 digits')).toBeVisible();
  await shot(page, testInfo, 'bank-account-form-errors');

  await submitBankAccount(page, { nickname: 'Everyday', bankName: 'First Test Bank', type: 'Checking', routingNumber: '011000015', accountNumber: '9876540000' });
  await expect(page.getByText('Added “Everyday” (••••0000) as your primary account.')).toBeVisible();
  const everyday = page.getByTestId('bank-account-row').filter({ hasText: 'Everyday' });
  await expect(everyday).toContainText('Primary');
  // The form is cleared, and the full number appears nowhere.
  await expect(page.getByLabel('Account number')).toHaveValue('');
  await expect(page.locator('body')).not.toContainText('9876540000');

  await submitBankAccount(page, { nickname: 'Rainy day', bankName: 'Second Test Bank', type: 'Savings', routingNumber: '026009593', accountNumber: '1122330000' });
  await expect(page.getByText('Added “Rainy day” (••••0000).')).toBeVisible();
  const rainyDay = page.getByTestId('bank-account-row').filter({ hasText: 'Rainy day' });
  await expect(page.getByTestId('bank-account-row')).toHaveCount(2);
  await expect(rainyDay.getByTestId('masked-number')).toHaveText('••••0000');
  await expect(rainyDay).toContainText('Savings');
  await expect(rainyDay).not.toContainText('Primary');
  await expect(page.locator('body')).not.toContainText('1122330000');

  // Adding the same account again is refused on the account number field.
  await submitBankAccount(page, { nickname: 'Again', bankName: 'First Test Bank', type: 'Checking', routingNumber: '011000015', accountNumber: '9876540000' });
  await expect(page.getByText('this account is already linked as “Everyday”')).toBeVisible();

  await rainyDay.getByRole('button', { name: 'Make primary' }).click();
  await expect(page.getByText('“Rainy day” (••••0000) is now your primary account.')).toBeVisible();
  await expect(rainyDay).toContainText('Primary');
  await expect(everyday).not.toContainText('Primary');
  await shot(page, testInfo, 'bank-accounts-primary-switched');

  // The primary cannot be deactivated while another account is active: the refusal says why.
  await rainyDay.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, deactivate it' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'make another account primary first' })).toBeVisible();
  await shot(page, testInfo, 'bank-accounts-refusal');

  await everyday.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, deactivate it' }).click();
  await expect(page.getByText('“Everyday” (••••0000) is deactivated.')).toBeVisible();
  await expect(everyday).toContainText('Inactive');
  await expect(everyday.getByRole('button', { name: 'Make primary' })).toHaveCount(0);
  await everyday.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText('“Everyday” (••••0000) is active again.')).toBeVisible();
  await expect(everyday).toContainText('Active');
  await expect(rainyDay).toContainText('Primary');
  await shot(page, testInfo, 'bank-accounts-final');
});

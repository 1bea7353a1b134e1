// Any screen, any person (issue 15): every page of the portal — public, landlord, renter and
// operator — at 1280, 390 and 320 px wide scrolls nowhere sideways, passes axe (WCAG 2.2 AA
// tags, no serious or critical violation) at desktop and phone widths, and leaves a full-page
// screenshot per width (test-results/screenshots/desktop/screens-*.png). The page list and the
// checks are e2e/page-checks.ts. Plus the phone menu: it reaches every page of the role.
import { expect, test, type Page } from '@playwright/test';
import { DEMO, seedPortal, signIn, type SeededPortal } from './helpers';
import { checkPage, landlordPages, operatorDetailPages, OPERATOR_PAGES, PUBLIC_PAGES, renterPages, type PageVisit } from './page-checks';

// Each page loads once and is checked at three widths, twice with axe and with three full-page
// screenshots: 3–5 s on an idle machine, 20–50 s on a loaded 2-core one (load average 13),
// where one axe pass over a long list took up to 50 s.
const PER_PAGE_MS = 120_000;

async function checkAll(page: Page, testInfo: import('@playwright/test').TestInfo, visits: PageVisit[], prefix: string) {
  for (const visit of visits) await test.step(visit.path, () => checkPage(page, testInfo, visit, prefix));
}

// Not serial: a role's failures must not hide the next role's (a new worker seeds again).
test.describe('every page on every screen', () => {
  let seed: SeededPortal;

  test.beforeAll(async ({ browser }, testInfo) => {
    testInfo.setTimeout(180_000);
    seed = await seedPortal(browser, testInfo.project.use.baseURL);
  });

  test('public pages', async ({ page }, testInfo) => {
    test.setTimeout(PUBLIC_PAGES.length * PER_PAGE_MS);
    await checkAll(page, testInfo, PUBLIC_PAGES, 'screens-public');
  });

  test('landlord pages', async ({ browser }, testInfo) => {
    const visits = landlordPages(seed);
    test.setTimeout(visits.length * PER_PAGE_MS);
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, storageState: seed.landlord });
    await checkAll(await context.newPage(), testInfo, visits, 'screens-landlord');
    await context.close();
  });

  test('renter pages', async ({ browser }, testInfo) => {
    const visits = renterPages(seed);
    test.setTimeout(visits.length * PER_PAGE_MS);
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, storageState: seed.renter });
    await checkAll(await context.newPage(), testInfo, visits, 'screens-renter');
    await context.close();
  });

  test('operator pages', async ({ page }, testInfo) => {
    test.setTimeout((OPERATOR_PAGES.length + 3) * PER_PAGE_MS + 30_000);
    await signIn(page, DEMO.operator.email, DEMO.operator.password);
    await page.waitForURL(/\/renter$/);
    await checkAll(page, testInfo, [...OPERATOR_PAGES, ...(await operatorDetailPages(page))], 'screens-operator');
  });
});

test('on a phone the Menu reaches every page of the role and closes on navigation and Escape', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await signIn(page, DEMO.operator.email, DEMO.operator.password);
  await page.waitForURL(/\/renter$/);
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  // Below sm the header's links are in the menu only.
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);

  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  const panel = page.getByTestId('menu-panel');
  await expect(panel).toBeVisible();
  expect(await menu.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
  const links = panel.getByRole('navigation', { name: 'Main' }).getByRole('link');
  await expect(links).toHaveText(['Dashboard', 'Leases', 'Payments', 'Bank accounts', 'Settings', 'Background runs', 'Caught mail']);
  await expect(links.first()).toBeFocused();
  await expect(panel.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await expect(panel).toBeHidden();

  await menu.click();
  await panel.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL(/\/settings$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(panel).toBeHidden();

  await menu.click();
  await panel.getByRole('link', { name: 'Caught mail' }).click();
  await page.waitForURL(/\/dev\/mail$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // Up to lg the Menu holds the links (a tablet's header wrapped onto two or three rows);
  // from lg up they are in the header and there is no Menu, and the header is one row.
  await page.setViewportSize({ width: 768, height: 1024 });
  await expect(menu).toBeVisible();
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 768 });
    await expect(menu).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' })).toBeVisible();
    expect((await page.locator('header').first().boundingBox())!.height, `header height at ${width} px`).toBeLessThan(72);
  }
});

// The files a browser asks for on its own (public/): the favicon, the icons and the web app
// manifest answer 200 with their content types through the production server and proxy.ts,
// pages link them, and with the page's CSP enforced Chromium loads them without a violation.
import { expect, test } from '@playwright/test';

const FILES = [
  ['/favicon.ico', /^image\/(x-icon|vnd\.microsoft\.icon)/],
  ['/icon.svg', /^image\/svg\+xml/],
  ['/apple-touch-icon.png', /^image\/png/],
  ['/icon-192.png', /^image\/png/],
  ['/icon-512.png', /^image\/png/],
  ['/manifest.webmanifest', /^application\/manifest\+json/],
] as const;

test('the favicon, icons and manifest answer 200 with their content types', async ({ request }) => {
  for (const [path, type] of FILES) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toMatch(type);
    expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
  }
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest).toMatchObject({ name: 'DirectPay', theme_color: '#1f57d1' });
  for (const icon of manifest.icons as { src: string }[]) expect((await request.get(icon.src)).status(), icon.src).toBe(200);
});

test('pages link the icons and the manifest, and the CSP lets the browser load them', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto('/sign-in');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute('href', '/apple-touch-icon.png');
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#1f57d1');
  const hrefs = await page.locator('link[rel="icon"], link[rel="manifest"], link[rel="apple-touch-icon"]').evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
  expect(hrefs.length).toBeGreaterThanOrEqual(4);
  // Fetched from the page itself, under its CSP (connect-src 'self'): every one arrives.
  const statuses = await page.evaluate(async (urls) => Promise.all(urls.map(async (url) => (await fetch(url)).status)), hrefs);
  expect(statuses.every((status) => status === 200), JSON.stringify(statuses)).toBe(true);
  expect(violations).toEqual([]);
});

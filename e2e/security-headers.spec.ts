// The security headers as the production server sends them (server/security-headers.js):
// pages through proxy.ts with a fresh CSP nonce each time, API routes through next.config.js.
// And in Chromium, with that policy enforced, every script of a page runs and none is refused.
import { expect, test, type APIResponse } from '@playwright/test';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => {
    const [name, ...sources] = part.trim().split(/\s+/);
    return [name!, sources];
  }));
}

/** The headers every answer carries, page or API, found or not. */
function expectCommonHeaders(response: APIResponse) {
  const headers = response.headers();
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['permissions-policy']).toContain('camera=()');
  // The suite's server is http://localhost: no HSTS (that needs NEXTAUTH_URL https).
  expect(headers['strict-transport-security']).toBeUndefined();
  const csp = directives(headers['content-security-policy'] ?? '');
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  for (const sources of csp.values()) expect(sources).not.toContain("'unsafe-eval'");
  expect(csp.get('script-src') ?? []).not.toContain("'unsafe-inline'");
  return csp;
}

function expectPageCsp(response: APIResponse): string {
  const csp = expectCommonHeaders(response);
  const scriptSrc = csp.get('script-src')!;
  const nonce = scriptSrc.find((source) => source.startsWith("'nonce-"));
  expect(nonce, 'script-src has a nonce').toBeTruthy();
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(csp.get('object-src')).toEqual(["'none'"]);
  return nonce!;
}

test('a page, the sign-in page and a missing page carry a CSP with a fresh nonce and the other security headers', async ({ request }) => {
  const home = await request.get('/', { maxRedirects: 0 });
  expect(home.status()).toBe(200);
  const signIn = await request.get('/sign-in');
  expect(signIn.status()).toBe(200);
  const missing = await request.get('/no-such-page');
  expect(missing.status()).toBe(404);
  const nonces = [home, signIn, missing].map(expectPageCsp);
  const again = expectPageCsp(await request.get('/sign-in'));
  expect(new Set([...nonces, again]).size).toBe(4);
  // Next put the nonce on its own scripts.
  const html = await signIn.text();
  const value = nonces[1]!.slice("'nonce-".length, -1);
  expect(html).toContain(`nonce="${value}"`);
});

test('API answers (ok, refused and missing) carry the security headers and a CSP that runs no script', async ({ request }) => {
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  const unauthorized = await request.get('/api/trpc/me.get');
  expect(unauthorized.status()).toBe(401);
  const missing = await request.get('/api/no-such-route');
  expect(missing.status()).toBe(404);
  const session = await request.get('/api/auth/session');
  expect(session.status()).toBe(200);
  for (const response of [health, unauthorized, missing, session]) {
    const csp = expectCommonHeaders(response);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.has('script-src')).toBe(false);
  }
});

test('a path whose percent-escapes do not decode reaches its route with them taken literally: a 4xx with the security headers, never a 500', async ({ request }) => {
  // Next answered each of these with a bare 500 (server/url-path.ts).
  const operatorPage = await request.get('/dev/inngest/runs/%FF');
  expect(operatorPage.status()).toBe(404);
  expectPageCsp(operatorPage);
  const renterPage = await request.get('/renter/payments/%E0%A4%A', { maxRedirects: 0 });
  expect(renterPage.status()).toBe(307);
  expect(renterPage.headers()['location']).toContain(encodeURIComponent('/renter/payments/%25E0%25A4%25A'));
  const procedure = await request.get('/api/trpc/me.get%FF');
  expect(procedure.status()).toBe(404);
  expect((await procedure.json()).error.json.data).toMatchObject({ code: 'NOT_FOUND', path: 'me.get%FF' });
  const rest = await request.get('/api/v1/%');
  expect(rest.status()).toBe(404);
  expect(await rest.json()).toMatchObject({ code: 'NOT_FOUND' });
  const file = await request.get('/api/export/%C0%AF');
  expect(file.status()).toBe(404);
  expect((await file.json()).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('No export named %C0%AF') });
  for (const response of [procedure, rest, file]) expectCommonHeaders(response);
});

test('with the policy enforced, every script of a page runs and the browser refuses none', async ({ page }) => {
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  for (const path of ['/sign-in', '/sign-up', '/no-such-page', '/']) {
    const response = await page.goto(path);
    const csp = response!.headers()['content-security-policy']!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    // The app hydrated: Next's client runtime ran and registered itself.
    await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version))).toBe(true);
    const scripts = await page.evaluate(() => [...document.querySelectorAll('script')].map((script) => ({ src: script.src, nonce: script.nonce })));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts.filter((s) => !s.src || new URL(s.src).pathname.startsWith('/_next/'))) expect(script.nonce, script.src || 'inline script').toBe(nonce);
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), path).toEqual([]);
  }
  // A React event handler runs: the sign-up form checks its fields in the browser (without
  // scripts, the browser would submit the form instead).
  await page.goto('/sign-up');
  await page.getByText('Renter', { exact: true }).click();
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('must be a valid email address')).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});

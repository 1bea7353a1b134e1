// The background-runs dashboard (/dev/inngest) on the real engine, for operators only.
// scripts/e2e.ts runs the app with OPERATOR_DASHBOARD=true and OPERATOR_EMAILS naming the
// seeded demo operator. The operator invokes a function, follows its run, reruns it and sends
// a test event; each of those server-action requests (and cancel's) is then replayed by a
// visitor, the demo renter, the demo landlord and the operator's own API token (WRITE: the
// dashboard takes the portal's session), who get the 404 of a page that does not exist, and
// change nothing. Every page is a 404 for them too, with no link to it. A call whose body Next
// cannot decode is a 400 for anyone, the operator too.
import { expect, test, type APIRequestContext, type Browser, type Page, type Request } from '@playwright/test';
import { api, DEMO, seedPortal, shot, signIn } from './helpers';

const RECOVERY_FUNCTION = 'directpay-recover-stale-payments';
const SETTLE_FUNCTION = 'directpay-settle-payment';

/** A server action request as the browser sent it, to replay from other sessions. */
interface CapturedAction {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

function captureAction(page: Page): Promise<CapturedAction> {
  return page
    .waitForRequest((request: Request) => request.method() === 'POST' && Boolean(request.headers()['next-action']))
    .then((request) => {
      const keep = ['next-action', 'content-type', 'accept', 'next-router-state-tree'];
      const headers = Object.fromEntries(Object.entries(request.headers()).filter(([name]) => keep.includes(name)));
      return { url: request.url(), headers: { ...headers, origin: new URL(request.url()).origin }, body: request.postDataBuffer() ?? Buffer.alloc(0) };
    });
}

function replay(request: APIRequestContext, action: CapturedAction, actionId = action.headers['next-action']!) {
  return request.fetch(action.url, { method: 'POST', headers: { ...action.headers, 'next-action': actionId }, data: action.body, maxRedirects: 0 });
}

/**
 * A server action call whose body Next cannot decode, sent as text and as a broken multipart
 * form, and a broken form POSTed to the home page (Next reads every form POST as a possible
 * action): the status of each. Next answered each 500, to anyone (found by strangers).
 */
async function undecodableReplays(request: APIRequestContext, action: CapturedAction) {
  const brokenForm = { 'content-type': 'multipart/form-data; boundary=zz' };
  const statuses: Record<string, number> = {};
  for (const [label, url, headers, data] of [
    ['text', action.url, { ...action.headers, 'content-type': 'text/plain;charset=UTF-8' }, 'xxx'],
    ['multipart', action.url, { ...action.headers, ...brokenForm }, '--zz\r\nContent-Disposition: form-data; name="0"\r\n\r\n{bad\r\n--zz--\r\n'],
    ['form to /', new URL('/', action.url).href, { ...brokenForm, origin: action.headers.origin! }, '--zz\r\nbroken'],
  ] as const) {
    const response = await request.fetch(url, { method: 'POST', headers, data, maxRedirects: 0 });
    statuses[label] = response.status();
    if (response.status() === 400) expect(await response.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'The server action request could not be read' } });
  }
  return statuses;
}
const UNDECODABLE_REFUSED = { text: 400, multipart: 400, 'form to /': 400 };

async function signedInAs(browser: Browser, who: 'anonymous' | 'renter' | 'landlord' | 'operator' | "operator's API token") {
  if (who === "operator's API token") {
    // A token the operator made in the portal, sent by a program with no cookie.
    const operator = await signedInAs(browser, 'operator');
    const { token } = await api<{ token: string }>(operator.page, 'mutation', 'apiToken.create', { name: 'ops script', scope: 'WRITE' });
    await operator.context.close();
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${token}` } });
    return { context, page: await context.newPage() };
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  if (who !== 'anonymous') {
    await signIn(page, DEMO[who].email, DEMO[who].password);
    await page.waitForURL(who === 'landlord' ? /\/landlord$/ : /\/renter$/);
  }
  return { context, page };
}

// The operator's journey captures the requests the others replay, so the tests run in order.
test.describe.configure({ mode: 'serial' });

let captured: { invoke: CapturedAction; rerun: CapturedAction; cancelId: string; send: CapturedAction; eventName: string; pages: string[] } | undefined;

test('an operator invokes a function, follows and reruns its run, and sends a test event', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const { context: operatorContext, page } = await signedInAs(browser, 'operator');
  await page.goto('/renter');
  await expect(page.getByRole('link', { name: 'Background runs' })).toBeVisible();

  // Invoke.
  await page.goto('/dev/inngest/functions');
  const row = page.getByTestId('function-row').filter({ hasText: RECOVERY_FUNCTION });
  await expect(row).toBeVisible();
  await expect(row.getByText('cron')).toBeVisible();
  await row.getByText('Invoke…').click();
  // A payment id in the payload: the run is then one of the runs "about" that payment.
  const concernedId = '00000000-0000-4000-8000-00000000e2e0';
  await row.getByLabel('Payload data (JSON object)').fill(`{ "paymentId": "${concernedId}" }`);
  const invokeRequest = captureAction(page);
  await row.getByRole('button', { name: 'Invoke' }).click();
  const invoke = await invokeRequest;

  await page.waitForURL(/\/dev\/inngest\/runs\/[0-9A-Z]{26}$/);
  const runId = page.url().split('/').at(-1)!;
  await expect(page.getByText('inngest/function.invoked').first()).toBeVisible();
  // The page follows the run live until it completes.
  await expect(page.getByRole('heading', { level: 2 }).filter({ hasText: 'Completed' })).toBeVisible({ timeout: 60_000 });
  const steps = page.getByTestId('run-step');
  await expect(steps.first()).toBeVisible();
  await expect(steps.first()).toContainText('step.run');
  await steps.first().locator('summary').click();
  await expect(steps.first().getByText('Output')).toBeVisible();
  await expect(steps.first().getByText('Attempt 1')).toBeVisible();
  await shot(page, testInfo, 'inngest-run');

  // The run page hands both of its actions (rerun, and cancel for unfinished runs) to the browser.
  const runPageHtml = await (await operatorContext.request.get(`/dev/inngest/runs/${runId}`)).text();
  const rerunRequest = captureAction(page);
  await page.getByRole('button', { name: 'Rerun' }).click();
  const rerun = await rerunRequest;
  await page.waitForURL((url) => /\/dev\/inngest\/runs\/[0-9A-Z]{26}$/.test(url.pathname) && !url.pathname.endsWith(runId));
  // The rerun names the run it reran, and that run's page names the rerun.
  const rerunId = page.url().split('/').at(-1)!;
  await expect(page.getByRole('link', { name: runId })).toHaveAttribute('href', `/dev/inngest/runs/${runId}`);
  const actionIds = new Set([...runPageHtml.matchAll(/\\?"id\\?":\\?"([0-9a-f]{40,})\\?"/g)].map((match) => match[1]!));
  actionIds.delete(rerun.headers['next-action']!);
  expect(actionIds.size).toBe(1);
  const cancelId = [...actionIds][0]!;
  // Cancel reaches the operator (the run has ended, so the engine says so).
  const operatorCancel = await replay(operatorContext.request, rerun, cancelId);
  expect(operatorCancel.status()).toBe(200);
  expect(await operatorCancel.text()).toContain('has already ended');

  await page.goto(`/dev/inngest?function=${RECOVERY_FUNCTION}`);
  const listed = page.getByTestId('run-row').filter({ hasText: runId });
  await expect(listed).toBeVisible();
  await expect(listed.getByText('Completed')).toBeVisible();
  // The rerun is recorded under the runs with who did it, on which run, and what it made.
  const recorded = page.getByTestId('operator-action-row').filter({ hasText: 'Reran' }).filter({ hasText: runId }).filter({ hasText: rerunId });
  await expect(recorded.first()).toContainText(DEMO.operator.email);
  await shot(page, testInfo, 'inngest-runs');

  // The runs about one payment: by its id in the search field, or by the run's "Concerns" link.
  await page.goto('/dev/inngest');
  await page.getByLabel('Payment or lease id').fill(concernedId);
  await page.getByLabel('Payment or lease id').press('Enter');
  await expect(page).toHaveURL(new RegExp(`concerns=${concernedId}`));
  await expect(page.getByTestId('run-row')).toHaveCount(2); // the invoked run and its rerun
  await expect(page.getByTestId('run-row').filter({ hasText: runId })).toBeVisible();
  await page.goto(`/dev/inngest/runs/${runId}`);
  await expect(page.getByRole('link', { name: 'Payment 00000000' }).first()).toHaveAttribute('href', `/dev/inngest?concerns=${concernedId}`);
  await expect(page.getByRole('link', { name: rerunId })).toHaveAttribute('href', `/dev/inngest/runs/${rerunId}`);

  // Send a test event. The bank's events are not an operator's to send: refused, with why.
  await page.goto('/dev/inngest/events');
  await page.getByLabel('Event name').first().fill('bank/ach.returned');
  await page.getByLabel('Data (JSON object)').fill('{}');
  await page.getByRole('button', { name: 'Send event' }).click();
  await expect(page.getByText('bank/ach.returned is sent only by the bank, not from here')).toBeVisible();
  const name = `e2e/nobody-listens-${Date.now()}`;
  await page.getByLabel('Event name').first().fill(name);
  await page.getByLabel('Data (JSON object)').fill('{ not json');
  await expect(page.getByText(/Not valid JSON/)).toBeVisible();
  await page.getByLabel('Data (JSON object)').fill('{ "note": "\\u0000" }');
  await expect(page.getByText(/Cannot be stored: a string holds a NUL character/)).toBeVisible();
  await page.getByLabel('Data (JSON object)').fill('{ "leaseId": "00000000-0000-4000-8000-000000000001" }');
  const sendRequest = captureAction(page);
  await page.getByRole('button', { name: 'Send event' }).click();
  const send = await sendRequest;
  await expect(page.getByText(`Sent ${name}: no function is triggered by it.`)).toBeVisible();
  const event = page.getByTestId('event-row').filter({ hasText: name });
  await expect(event).toBeVisible();
  await expect(event.getByRole('link', { name: /^Lease / })).toHaveAttribute('href', '/dev/inngest?concerns=00000000-0000-4000-8000-000000000001');
  const eventHref = await event.getByRole('link').first().getAttribute('href');
  await shot(page, testInfo, 'inngest-events');

  const pages = ['/dev/inngest', '/dev/inngest/functions', '/dev/inngest/events', `/dev/inngest/runs/${runId}`, ...(eventHref?.startsWith('/dev/inngest/events/') ? [eventHref] : [])];
  for (const path of pages) expect((await page.goto(path))?.status(), path).toBe(200);
  // The operator's own call with a body Next cannot decode is the caller's fault: a 400, and no
  // event is sent (the others' check below counts this event once).
  expect(await undecodableReplays(page.request, send)).toEqual(UNDECODABLE_REFUSED);
  // A call that decodes but carries no form (`5`, or nothing, for it): the action says so and
  // does nothing (each answered 500).
  for (const [label, action] of [['invoke', invoke], ['rerun', rerun], ['send event', send]] as const) {
    for (const data of ['["$undefined",5]', '[]']) {
      const response = await page.request.fetch(action.url, { method: 'POST', headers: { ...action.headers, 'content-type': 'text/plain;charset=UTF-8' }, data, maxRedirects: 0 });
      expect({ label, data, status: response.status(), said: (await response.text()).includes('Send the form.') }).toEqual({ label, data, status: 200, said: true });
    }
  }
  // The same form sent past the browser's check, with data PostgreSQL cannot store: the action's
  // own refusal, and nothing sent (found by a stranger: each answered 500).
  for (const data of ['{"a":"\\u0000"}', '{"\\u0000":1}', '{"a":"\\ud800"}']) {
    const body = Buffer.from(send.body.toString('utf8').replace('{ "leaseId": "00000000-0000-4000-8000-000000000001" }', data));
    expect(body.includes(data)).toBe(true);
    const response = await replay(page.request, { ...send, body });
    expect({ data, status: response.status(), said: (await response.text()).includes('Check the event.') }).toEqual({ data, status: 200, said: true });
  }
  captured = { invoke, rerun, cancelId, send, eventName: name, pages };
  await operatorContext.close();
});

for (const who of ['anonymous', 'renter', 'landlord', "operator's API token"] as const) {
  test(`the dashboard's pages and actions are a 404 for ${who === 'anonymous' ? 'a visitor' : `the ${who}`}, and the actions change nothing`, async ({ browser }) => {
    test.setTimeout(120_000);
    const { invoke, rerun, cancelId, send, eventName, pages } = captured!;
    const { context, page } = await signedInAs(browser, who);
    for (const path of pages) {
      const response = await page.goto(path);
      expect({ path, status: response?.status() }).toEqual({ path, status: 404 });
    }
    await expect(page.getByRole('link', { name: 'Background runs' })).toHaveCount(0);
    for (const [label, action, actionId] of [
      ['invoke', invoke, undefined],
      ['rerun', rerun, undefined],
      ['cancel', rerun, cancelId],
      ['send event', send, undefined],
    ] as const) {
      const response = await replay(context.request, action, actionId);
      expect({ label, status: response.status(), redirect: response.headers()['x-action-redirect'] ?? null }).toEqual({ label, status: 404, redirect: null });
    }
    expect(await undecodableReplays(context.request, send)).toEqual(UNDECODABLE_REFUSED);
    // Sent to a page that does not have it, Next forwards the call to one that does and answers
    // with its answer, the action's 404 inside (found by a stranger: the gate refused Next's
    // forwarded request, and Next answered 200 {}).
    const forwarded = await replay(context.request, { ...send, url: new URL('/', send.url).href });
    expect({ status: forwarded.status(), notFound: (await forwarded.text()).includes('NEXT_HTTP_ERROR_FALLBACK;404') }).toEqual({ status: 200, notFound: true });
    await context.close();

    // Nothing happened: the event was sent once, and no run was invoked or rerun.
    const operator = await signedInAs(browser, 'operator');
    await operator.page.goto(`/dev/inngest/events?name=${encodeURIComponent(eventName)}`);
    await expect(operator.page.getByTestId('event-row').filter({ hasText: eventName })).toHaveCount(1);
    await operator.page.goto(`/dev/inngest?function=${RECOVERY_FUNCTION}`);
    await expect(operator.page.getByTestId('run-row').filter({ hasText: 'inngest/function.invoked' })).toHaveCount(2);
    await operator.context.close();
  });
}

test("a payment's settlement run says how the payment ended, in the runs list and on its page", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  // A landlord and renter of their own: one RTP payment completed from …0000, one failed from …0001.
  const seed = await seedPortal(browser, testInfo.project.use.baseURL);
  const { context, page } = await signedInAs(browser, 'operator');
  for (const [paymentId, result] of [
    [seed.failedPaymentId, 'Payment failed (AM04)'],
    [seed.completedPaymentId, 'Payment completed'],
  ] as const) {
    await page.goto(`/dev/inngest?function=${SETTLE_FUNCTION}&concerns=${paymentId}`);
    const row = page.getByTestId('run-row');
    // The settlement run is its payment's one run of that function; it has ended (the payment did).
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('run-result')).toHaveText(result);
    if (result.includes('failed')) {
      await expect(row.getByTestId('run-result')).toHaveClass(/text-red-700/);
      await shot(page, testInfo, 'inngest-runs-failed-payment');
    }
    await row.getByRole('link').first().click();
    await page.waitForURL(/\/dev\/inngest\/runs\/[0-9A-Z]{26}$/);
    await expect(page.getByTestId('run-result')).toContainText(result);
  }
  await context.close();
});

test('the runs filters apply while the page refreshes itself, even when each refresh is slower than its interval', async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page } = await signedInAs(browser, 'operator');
  await page.goto('/dev/inngest');
  await expect(page.locator('[data-live-indicator]')).toBeVisible();
  // A slow link or a busy server: every refresh of the page's server components answers after
  // 3 s, longer than the 2 s between refreshes; the filter's own navigation too.
  let refreshes = 0;
  await page.route(/\/dev\/inngest(\?.*)?$/, async (route) => {
    const request = route.request();
    if (request.headers()['rsc']) {
      refreshes += 1;
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
    await route.continue().catch(() => {});
  });
  await expect.poll(() => refreshes).toBeGreaterThan(1);
  await page.getByLabel('Status').selectOption('failed');
  await expect(page).toHaveURL(/status=failed/);
  await expect(page.getByLabel('Status')).toHaveValue('failed');
  // And the page stays live.
  const seen = refreshes;
  await expect.poll(() => refreshes).toBeGreaterThan(seen);
  await context.close();
});

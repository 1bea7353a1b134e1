// CORS on /api/v1, /api/openapi.json and /api/trpc, through their route handlers: no origin by
// default; with ALLOWED_ORIGINS, exactly the listed origins, echoed (never `*`), and never with
// credentials; every answer says `Vary: Origin`.
import { afterEach, describe, expect, it } from 'vitest';
import * as rest from '@/app/api/v1/[...path]/route';
import * as openApi from '@/app/api/openapi.json/route';
import * as trpc from '@/app/api/trpc/[trpc]/route';
import { loadEnv, resetEnvForTests } from '@/server/env';

const LISTED = 'https://app.example.com';
const OTHER = 'https://evil.example';

const routes = [
  { name: '/api/v1', url: 'http://localhost:3000/api/v1/me', handlers: rest },
  { name: '/api/openapi.json', url: 'http://localhost:3000/api/openapi.json', handlers: openApi },
  { name: '/api/trpc', url: 'http://localhost:3000/api/trpc/me.get', handlers: trpc },
];

function preflight(url: string, origin: string) {
  return new Request(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
}

function allowing(origins: string | undefined) {
  if (origins === undefined) delete process.env.ALLOWED_ORIGINS;
  else process.env.ALLOWED_ORIGINS = origins;
  resetEnvForTests();
}

afterEach(() => allowing(undefined));

describe('CORS', () => {
  it('by default allows no origin: preflights and answers carry no Access-Control-Allow-* header', async () => {
    allowing(undefined);
    for (const { name, url, handlers } of routes) {
      const answer = handlers.OPTIONS(preflight(url, LISTED));
      expect(answer.status, name).toBe(204);
      expect(answer.headers.get('access-control-allow-origin'), name).toBeNull();
      expect(answer.headers.get('access-control-allow-methods'), name).toBeNull();
      expect(answer.headers.get('vary'), name).toContain('Origin');
      const response = await handlers.GET(new Request(url, { headers: { origin: LISTED } }));
      expect(response.headers.get('access-control-allow-origin'), name).toBeNull();
      expect(response.headers.get('vary'), name).toContain('Origin');
    }
  });

  it('allows a listed origin exactly (echoed, never *, no credentials), and refuses an unlisted one', async () => {
    allowing(`${LISTED}, http://localhost:5173`);
    for (const { name, url, handlers } of routes) {
      const allowed = handlers.OPTIONS(preflight(url, LISTED));
      expect(allowed.status, name).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin'), name).toBe(LISTED);
      expect(allowed.headers.get('access-control-allow-methods'), name).toContain('GET');
      expect(allowed.headers.get('access-control-allow-headers'), name).toContain('authorization');
      expect(allowed.headers.get('access-control-allow-headers'), name).toContain('idempotency-key');
      expect(allowed.headers.get('access-control-allow-credentials'), name).toBeNull();
      expect(allowed.headers.get('vary'), name).toContain('Origin');
      const response = await handlers.GET(new Request(url, { headers: { origin: LISTED } }));
      expect(response.headers.get('access-control-allow-origin'), name).toBe(LISTED);
      expect(response.headers.get('access-control-expose-headers'), name).toContain('idempotent-replayed');
      expect(response.headers.get('access-control-allow-credentials'), name).toBeNull();

      for (const origin of [OTHER, 'https://app.example.com.evil.example', 'http://app.example.com', 'null']) {
        const refused = handlers.OPTIONS(preflight(url, origin));
        expect(refused.headers.get('access-control-allow-origin'), `${name} ${origin}`).toBeNull();
        expect(refused.headers.get('access-control-allow-methods'), `${name} ${origin}`).toBeNull();
        const answer = await handlers.GET(new Request(url, { headers: { origin } }));
        expect(answer.headers.get('access-control-allow-origin'), `${name} ${origin}`).toBeNull();
      }
    }
  });

  it('ALLOWED_ORIGINS takes exact origins only: no *, no paths', () => {
    const base = { ...process.env };
    expect(loadEnv({ ...base, ALLOWED_ORIGINS: 'https://a.example,http://localhost:5173' }).ALLOWED_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadEnv({ ...base, ALLOWED_ORIGINS: '' }).ALLOWED_ORIGINS).toEqual([]);
    for (const bad of ['*', 'https://a.example/', 'https://a.example/app', 'a.example', 'ftp://a.example']) {
      expect(() => loadEnv({ ...base, ALLOWED_ORIGINS: bad }), bad).toThrow(/ALLOWED_ORIGINS/);
    }
  });
});

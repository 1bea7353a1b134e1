import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, createNonce, isHttpsSite, securityHeaders } from './security-headers';

/** The CSP as a map of directive → its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => {
    const [name, ...sources] = part.trim().split(/\s+/);
    return [name!, sources];
  }));
}

describe('security headers', () => {
  it('lets a page run only the scripts that carry its nonce, in production without eval or inline scripts', () => {
    const csp = directives(contentSecurityPolicy({ nonce: 'abc123==', development: false, https: false }));
    expect(csp.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
    for (const sources of csp.values()) expect(sources).not.toContain("'unsafe-eval'");
  });

  it("allows eval for React's debugging aids in development only", () => {
    const dev = directives(contentSecurityPolicy({ nonce: 'n', development: true, https: false }));
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('lets an API answer run no script and be framed by nobody', () => {
    const csp = directives(contentSecurityPolicy({ development: false, https: false }));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.has('script-src')).toBe(false);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('sends nosniff, a referrer policy, a permissions policy and no framing on every answer, HSTS only over HTTPS', () => {
    for (const nonce of ['n', undefined]) {
      const http = securityHeaders({ nonce, development: false, https: false });
      expect(http).toMatchObject({
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Referrer-Policy': 'same-origin',
        'Cross-Origin-Opener-Policy': 'same-origin',
      });
      expect(http['Permissions-Policy']).toContain('camera=()');
      expect(http['Permissions-Policy']).toContain('payment=()');
      expect(http).not.toHaveProperty('Strict-Transport-Security');

      const https = securityHeaders({ nonce, development: false, https: true });
      expect(https['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains');
      expect(directives(https['Content-Security-Policy']!).has('upgrade-insecure-requests')).toBe(true);
    }
  });

  it('makes a new 128-bit nonce every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });

  it('calls a site HTTPS by its public URL', () => {
    expect(isHttpsSite('https://pay.example.com')).toBe(true);
    expect(isHttpsSite('HTTPS://pay.example.com')).toBe(true);
    expect(isHttpsSite('http://localhost:3000')).toBe(false);
    expect(isHttpsSite(undefined)).toBe(false);
  });
});

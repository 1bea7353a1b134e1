// The security headers of every answer, decided in one place. Plain JavaScript (with JSDoc
// types) because next.config.js, which sets them on API routes, cannot import TypeScript;
// proxy.ts sets them on pages, with a fresh CSP nonce per request.

/**
 * @typedef {object} SecurityHeaderOptions
 * @property {string} [nonce] The request's CSP nonce (base64). Given for HTML pages, whose
 *   scripts run only with it; absent for API answers, which may run no script at all.
 * @property {boolean} development `next dev`: React needs `eval` for its debugging aids.
 * @property {boolean} https The site is served over HTTPS: send HSTS and upgrade requests.
 */

/** Two years, the value hstspreload.org asks for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/**
 * The Content-Security-Policy for a page (with `nonce`) or an API answer (without).
 * Pages: scripts only from this origin's bundles carrying the nonce, and what they load
 * ('strict-dynamic'); never inline scripts without the nonce, never `eval` outside
 * development. Styles may be inline: React `style` attributes (charts, progress bars)
 * cannot carry a nonce, and a style cannot run code. Nothing may frame the site.
 * API answers: JSON or next-auth's small HTML pages; no scripts, nothing framed.
 * @param {SecurityHeaderOptions} options
 * @returns {string}
 */
export function contentSecurityPolicy({ nonce, development, https }) {
  const directives = nonce
    ? [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' blob: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ]
    : ["default-src 'none'", "style-src 'unsafe-inline'", "img-src 'self' data:", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"];
  if (https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/**
 * Every security header of an answer: CSP (see contentSecurityPolicy), no framing
 * (X-Frame-Options for browsers without frame-ancestors), no MIME sniffing, no referrer
 * outside the site (payment and lease ids are in URLs), no powerful browser features, a
 * window of its own, and HSTS when served over HTTPS.
 * @param {SecurityHeaderOptions} options
 * @returns {Record<string, string>}
 */
export function securityHeaders(options) {
  /** @type {Record<string, string>} */
  const headers = {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (options.https) headers['Strict-Transport-Security'] = `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;
  return headers;
}

/**
 * A fresh, unguessable CSP nonce: 128 random bits, base64.
 * @returns {string}
 */
export function createNonce() {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * Is the site served over HTTPS? Decided by its public URL (NEXTAUTH_URL).
 * @param {string | undefined} siteUrl
 * @returns {boolean}
 */
export function isHttpsSite(siteUrl) {
  return typeof siteUrl === 'string' && siteUrl.toLowerCase().startsWith('https://');
}

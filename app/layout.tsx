import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { AppHeader } from '@/components/app-header';
import { TRPCReactProvider } from '@/components/trpc/react';
import Link from 'next/link';
import { getSessionUser } from '@/server/session';
import { env } from '@/server/env';
import { operatorAllowed } from '@/app/dev/inngest/access';

export const metadata: Metadata = {
  title: { default: 'DirectPay', template: '%s · DirectPay' },
  description: 'Rent payments between landlords and renters over RTP, wire and ACH.',
  // public/ (made from public/icon.svg by scripts/make-icons.ts).
  manifest: '/manifest.webmanifest',
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
      { url: '/icon.svg', type: 'image/svg+xml' },
      { url: '/icon-192.png', type: 'image/png', sizes: '192x192' },
    ],
    apple: { url: '/apple-touch-icon.png', sizes: '180x180' },
  },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#1f57d1' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [user, operator] = await Promise.all([getSessionUser(), operatorAllowed()]);
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <TRPCReactProvider logErrors={env.NODE_ENV === 'development'}>
          <AppHeader user={user} operator={operator} />
          <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 sm:px-6">{children}</main>
          <footer className="border-t border-slate-200 bg-white print:hidden">
            <div className="mx-auto flex max-w-6xl flex-wrap justify-between gap-2 px-4 py-4 text-xs text-slate-500 sm:px-6">
              <span>DirectPay — rent over RTP, wire and ACH. Amounts in USD.</span>
              <span className="flex gap-4">
                <span>Every change is recorded in an append-only history.</span>
                <Link href="/docs" className="font-medium text-brand-600 hover:underline">
                  API
                </Link>
                {operator && (
                  <Link href="/dev/inngest" className="font-medium text-brand-600 hover:underline">
                    Background runs
                  </Link>
                )}
              </span>
            </div>
          </footer>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

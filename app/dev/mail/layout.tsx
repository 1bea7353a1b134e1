import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { PageHeader } from '@/components/ui/card';
import { requireOperator } from '../inngest/access';

export const metadata: Metadata = { title: { default: 'Caught mail', template: '%s · Caught mail · DirectPay' } };

export default async function CaughtMailLayout({ children }: { children: ReactNode }) {
  await requireOperator();
  return (
    <>
      <PageHeader title="Caught mail" description="Mail the app sent while no SMTP_URL is set: the embedded mail catcher keeps it here instead of delivering it." />
      {children}
    </>
  );
}

import { redirect } from 'next/navigation';
import { ButtonLink } from '@/components/ui/button';
import { getSessionUser, homeFor } from '@/server/session';

const RAILS = [
  ['Instant (RTP)', 'Arrives in seconds, any day of the year.'],
  ['Wire', 'Same business day, final.'],
  ['Same-day ACH', 'Same business day before the cutoff.'],
  ['Standard ACH', 'Next business day, lowest cost.'],
];

export default async function HomePage() {
  const user = await getSessionUser();
  if (user) redirect(homeFor(user.role));
  return (
    <div className="space-y-12 py-6">
      <section className="max-w-2xl">
        <h1 className="text-4xl font-bold tracking-tight text-slate-900">Rent, paid directly.</h1>
        <p className="mt-4 text-lg text-slate-600">
          Landlords list properties and leases and get paid. Renters link a bank account and pay rent over the rail they choose — and watch
          every payment move from pending to settled, with a history nobody can rewrite.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <ButtonLink href="/sign-up">Create an account</ButtonLink>
          <ButtonLink href="/sign-in" variant="secondary">
            Sign in
          </ButtonLink>
        </div>
      </section>
      <section aria-labelledby="rails" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <h2 id="rails" className="sr-only">
          Payment rails
        </h2>
        {RAILS.map(([name, text]) => (
          <div key={name} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <p className="font-semibold text-slate-900">{name}</p>
            <p className="mt-1 text-sm text-slate-600">{text}</p>
          </div>
        ))}
      </section>
    </div>
  );
}

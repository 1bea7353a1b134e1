// The demo accounts seeded by `npm run db:seed` (and written in the README). Their passwords
// are public, so the password policy refuses them for real accounts. The operator is an
// ordinary renter account that is an operator in development (server/domain/operators.ts);
// elsewhere only if OPERATOR_EMAILS names it.
export const DEMO_USERS = [
  { email: 'landlord@directpay.test', name: 'Dana Landlord', role: 'LANDLORD', password: 'landlord-demo-2026' },
  { email: 'renter@directpay.test', name: 'Riley Renter', role: 'RENTER', password: 'renter-demo-2026' },
  { email: 'operator@directpay.test', name: 'Olive Operator', role: 'RENTER', password: 'operator-demo-2026' },
] as const;

export const DEMO_OPERATOR_EMAIL = 'operator@directpay.test';

export const DEMO_PASSWORDS: ReadonlySet<string> = new Set(DEMO_USERS.map((user) => user.password));

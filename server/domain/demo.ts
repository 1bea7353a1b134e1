// The demo accounts seeded by `npm run db:seed` (and written in the README). Their passwords
// are public, so the password policy refuses them for real accounts.
export const DEMO_USERS = [
  { email: 'landlord@directpay.test', name: 'Dana Landlord', role: 'LANDLORD', password: 'landlord-demo-2026' },
  { email: 'renter@directpay.test', name: 'Riley Renter', role: 'RENTER', password: 'renter-demo-2026' },
] as const;

export const DEMO_PASSWORDS: ReadonlySet<string> = new Set(DEMO_USERS.map((user) => user.password));

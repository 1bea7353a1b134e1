import type { Role } from '@/server/generated/prisma/enums';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    role?: Role;
    /** The server-side Session row this cookie belongs to (server/domain/sessions.ts). */
    sid?: string;
  }
}

// Who is acting: every domain function takes one and checks ownership against it.
import type { Role } from '@/server/generated/prisma/enums';

export interface Actor {
  id: string;
  role: Role;
  /**
   * The caller's address, name and whether the address is verified, when the request's
   * session or token check read them from User in this request (server/api/trpc.ts);
   * functions that need them use these instead of reading the user again, and read them
   * when absent (background work, tests).
   */
  email?: string;
  name?: string;
  emailVerified?: boolean;
}

/** Background work (settlement, recovery) acts as the system, recorded as such in events. */
export const SYSTEM_ACTOR = { id: null, role: 'SYSTEM' } as const;
export type EventActor = Actor | typeof SYSTEM_ACTOR;

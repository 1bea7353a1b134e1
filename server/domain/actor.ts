// Who is acting: every domain function takes one and checks ownership against it.
import type { Role } from '@/server/generated/prisma/enums';

export interface Actor {
  id: string;
  role: Role;
}

/** Background work (settlement, recovery) acts as the system, recorded as such in events. */
export const SYSTEM_ACTOR = { id: null, role: 'SYSTEM' } as const;
export type EventActor = Actor | typeof SYSTEM_ACTOR;

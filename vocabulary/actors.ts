/** Who may do what. Officials read statistics and broadcast; admins also run the catalog and accounts. */
export const ROLES = ['admin', 'official', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Whoever makes a staff-side request: a signed-in staff member or an API token. */
export interface Actor {
  kind: 'staff' | 'token';
  id: number;
  name: string;
  role: Role;
  /** The office the actor works for; null for province-wide accounts. */
  officeId: number | null;
}

/** How the audit log names an actor: `staff:12` or `token:3`. */
export const actorRef = (actor: Actor): string => `${actor.kind}:${actor.id}`;

import type { Logger } from 'pino';

/** Who may act on a case. `system` is the scheduler and the dispatchers, never a caller. */
export const Role = {
  Complainant: 'complainant',
  Staff: 'staff',
  Enterprise: 'enterprise',
  /** Manages staff accounts and approves representatives (accounts subgraph); no case-desk rights of its own. */
  Admin: 'admin',
  System: 'system',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** The verified caller. `enterpriseId` is set for enterprise representatives only. */
export interface Actor {
  id: string;
  role: Role;
  enterpriseId?: string;
}

/** What every resolver of every subgraph receives; each subgraph extends it with its loaders. */
export interface RequestContext {
  requestId: string;
  /** null for an anonymous caller. */
  actor: Actor | null;
  logger: Logger;
  /**
   * The client's address as this subgraph knows it (the accounts slice limits sign-in attempts per
   * address): the peer's socket address, or the gateway's `x-forwarded-for` when the peer is loopback.
   */
  clientAddress?: string;
}

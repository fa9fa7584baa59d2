import { AccessDeniedError } from '../errors.js';
import type { Person } from '../teams/types.js';

/**
 * Who may do what. `member`: anyone in an allowed tenant (reading lists, contacts, links,
 * help). `sender`: SMS, MMS, voice and fax to numbers, replies in customer threads, creating
 * lists and contacts, uploads. `admin`: links, deletes, letters, postcards, list sends, audit.
 * Each role includes the ones before it.
 */
export type Role = 'member' | 'sender' | 'admin';

export interface AccessSettings {
  /** Tenants whose activities the bot acts on; every tenant when undefined. */
  readonly allowedTenantIds?: readonly string[] | undefined;
  /** Admins by Entra object id; when undefined: everyone in `openMode`, else nobody. */
  readonly adminUserIds?: readonly string[] | undefined;
  /** Senders by Entra object id; everyone when undefined. Admins are senders too. */
  readonly senderUserIds?: readonly string[] | undefined;
  /** The unauthenticated local mode (no MicrosoftAppId): nobody is who they say anyway. */
  readonly openMode: boolean;
}

export interface AccessPolicy {
  isTenantAllowed(tenantId: string | undefined): boolean;
  has(user: Person, role: Role): boolean;
  /** Throws an `AccessDeniedError` naming the role `what` needs when the user lacks it. */
  verify(user: Person, role: Role, what: string): void;
}

const lowerSet = (ids: readonly string[] | undefined) => (ids ? new Set(ids.map((id) => id.toLowerCase())) : undefined);

export const createAccessPolicy = (settings: AccessSettings): AccessPolicy => {
  const tenants = lowerSet(settings.allowedTenantIds);
  const admins = lowerSet(settings.adminUserIds);
  const senders = lowerSet(settings.senderUserIds);
  // Teams sends the Entra object id of every user; without one nobody can be told apart.
  const idOf = (user: Person) => user.aadObjectId?.toLowerCase();
  const isAdmin = (user: Person): boolean => {
    if (!admins) return settings.openMode;
    const id = idOf(user);
    return id !== undefined && admins.has(id);
  };
  const isSender = (user: Person): boolean => {
    if (isAdmin(user) || !senders) return true;
    const id = idOf(user);
    return id !== undefined && senders.has(id);
  };
  const has = (user: Person, role: Role): boolean => (role === 'admin' ? isAdmin(user) : role === 'sender' ? isSender(user) : true);
  return {
    isTenantAllowed: (tenantId) => !tenants || (tenantId !== undefined && tenants.has(tenantId.toLowerCase())),
    has,
    verify(user, role, what) {
      if (role !== 'member' && !has(user, role)) throw new AccessDeniedError(what, role, user.aadObjectId);
    },
  };
};

/** A policy that lets everyone do everything (unit tests of features that are not about access). */
export const openAccess: AccessPolicy = createAccessPolicy({ openMode: true });

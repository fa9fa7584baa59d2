/**
 * What `/api/messages` can check before a request's token can be: botbuilder reads the token
 * only once the whole body is parsed, so anyone could otherwise make the bridge hold 256 KB per
 * connection (2,000 stalled uploads took it from 133 to 663 MiB, never given back).
 */

/**
 * Body bytes that requests not yet authenticated may hold at once, all together: 64 activities
 * of the largest size, thousands of the few KB Teams really sends.
 */
export const UNAUTHENTICATED_BODY_BYTES = 16 * 1024 * 1024;

// What botbuilder accepts: "Bearer", one space, a JWT (base64url header, payload, signature).
// The signature may be empty here: botbuilder refuses such a token itself, after reading its
// claims (adapter.ts keeps botbuilder's per-tenant state bounded for exactly those).
const BEARER_TOKEN = /^Bearer [\w-]+\.[\w-]+\.[\w-]*$/;

/** True when `Authorization` could hold a Bot Framework token; whether it does is botbuilder's check. */
export const isBearerShaped = (header: string | undefined): boolean => header !== undefined && BEARER_TOKEN.test(header);

export interface BodyBudget {
  /**
   * Takes `bytes` if they fit beside what is held, and returns the function that gives them
   * back (once, however often it is called); undefined when they do not fit.
   */
  take(bytes: number): (() => void) | undefined;
  /** Bytes held now. */
  held(): number;
}

export const createBodyBudget = (maxBytes: number): BodyBudget => {
  let held = 0;
  return {
    take(bytes) {
      if (held + bytes > maxBytes) return undefined;
      held += bytes;
      let given = false;
      return () => {
        if (given) return;
        given = true;
        held -= bytes;
      };
    },
    held: () => held,
  };
};

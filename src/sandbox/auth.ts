import { timingSafeEqual } from 'node:crypto';
import { ApiError } from './envelope.js';
import type { SandboxAccount } from './types.js';

// ClickSend's answer to missing or wrong credentials, as observed on the live API.
const UNAUTHORIZED_MESSAGE = 'Authorization failed.';

interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export const parseBasicAuth = (header: string | undefined): BasicCredentials | undefined => {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
};

const sameSecret = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * Checks HTTP Basic credentials against the accounts and applies the account's status.
 * Throws ClickSend's 401 or 403 envelope.
 */
export const createAuthenticator = (accounts: readonly SandboxAccount[]) => {
  const byName = new Map(accounts.map((a) => [a.username, a]));

  const authenticate = (header: string | undefined): SandboxAccount => {
    const credentials = parseBasicAuth(header);
    const account = credentials ? byName.get(credentials.username) : undefined;
    if (!credentials || !account || !sameSecret(credentials.password, account.apiKey)) {
      throw new ApiError('UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    }
    switch (account.status) {
      case 'active':
      case 'no-credit':
        return account;
      case 'not-active':
        // Not in our spec. A public live probe saw the same 401 as a wrong key for `notactive`;
        // we answer 403 ACCOUNT_NOT_ACTIVATED (a code ClickSend lists) so clients can tell the cases apart.
        throw new ApiError('ACCOUNT_NOT_ACTIVATED', 'Your account is not activated.');
      case 'banned':
        // As observed on the live API for the `banned` test user.
        throw new ApiError('FORBIDDEN', 'Your account is suspended. Please contact support for more information.');
      default: {
        const unknown: never = account.status;
        throw new Error(`unknown account status ${String(unknown)}`);
      }
    }
  };

  return { authenticate };
};

export type Authenticator = ReturnType<typeof createAuthenticator>;

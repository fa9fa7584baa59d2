import type { SandboxAccount, SandboxAccountOptions } from './types.js';

/** ClickSend's published test API key, shared by its three test users. */
export const TEST_USERS_API_KEY = 'D83DED51-9E35-4D42-9BB9-0E34B7CA85AE';

export const DEFAULT_ACCOUNT: SandboxAccountOptions = { username: 'sandbox', apiKey: 'sandbox-key' };

const TEST_USERS: readonly SandboxAccountOptions[] = [
  { username: 'nocredit', apiKey: TEST_USERS_API_KEY, status: 'no-credit', balance: 0 },
  { username: 'notactive', apiKey: TEST_USERS_API_KEY, status: 'not-active', balance: 0 },
  { username: 'banned', apiKey: TEST_USERS_API_KEY, status: 'banned', balance: 0 },
];

const DEFAULT_BALANCE = 100;
const FIRST_USER_ID = 304497;
const FIRST_SUBACCOUNT_ID = 745158;

/**
 * The accounts a sandbox knows: the caller's (or the default one) first, then ClickSend's test
 * users unless the caller redefined one of those names. The first is "the account".
 */
export const resolveAccounts = (options: readonly SandboxAccountOptions[] | undefined): SandboxAccount[] => {
  const own = options && options.length > 0 ? options : [DEFAULT_ACCOUNT];
  const names = new Set(own.map((a) => a.username));
  const all = [...own, ...TEST_USERS.filter((t) => !names.has(t.username))];
  return all.map((a, i) => ({
    username: a.username,
    apiKey: a.apiKey,
    status: a.status ?? 'active',
    initialBalance: a.balance ?? (a.status === 'no-credit' ? 0 : DEFAULT_BALANCE),
    userId: a.userId ?? FIRST_USER_ID + i,
    subaccountId: a.subaccountId ?? FIRST_SUBACCOUNT_ID + i,
  }));
};

/** The account setting `setting_sms_message_char_limit`: most SMS parts a message may take. */
export const SMS_MESSAGE_CHAR_LIMIT = 8;

import { z } from 'zod';
import { ClickSendApiError } from './errors.js';
import { verifyPageQuery } from './requests.js';
import { CurrencySchema, looseNumber, optionalNumber, optionalString, pageOf, type PageQuery } from './schemas.js';
import type { Transport } from './transport.js';

/** The account behind the credentials: balance and settings, and its dedicated numbers. */

// ClickSend echoes the sub-account's API key in `_subaccount`; drop it here so that no log line,
// card or error that carries the account can ever show it.
const SubaccountSchema = z.looseObject({ subaccount_id: optionalNumber, api_username: optionalString }).transform(
  ({ api_key: _apiKey, ...rest }) => rest,
);

export const AccountSchema = z.looseObject({
  user_id: looseNumber,
  username: z.string(),
  user_email: optionalString,
  /** In the account's currency; ClickSend sends it as a string (`"4.998000"`). */
  balance: looseNumber,
  _currency: CurrencySchema.optional(),
  /** The most SMS parts a message may have; longer text is truncated. */
  setting_sms_message_char_limit: optionalNumber,
  setting_unicode_sms: optionalNumber,
  on_trial: optionalNumber,
  trial_expiry: optionalString,
  active: optionalNumber,
  banned: optionalNumber,
  country: optionalString,
  default_country_sms: optionalString,
  timezone: optionalString,
  account_name: optionalString,
  _subaccount: SubaccountSchema.optional(),
});
export type Account = z.infer<typeof AccountSchema>;

export const DedicatedNumberSchema = z.looseObject({
  dedicated_number: z.string(),
  country: optionalString,
  _country_name: optionalString,
  /** The documented example calls it `price`, the purchase answer `price_total`: keep both. */
  price: optionalNumber,
  price_total: optionalNumber,
  type: optionalString,
  number_type: optionalString,
  notes: optionalString,
});
export type DedicatedNumber = z.infer<typeof DedicatedNumberSchema>;

const NumbersPageSchema = pageOf(DedicatedNumberSchema).extend({ _currency: CurrencySchema.optional() });
export type NumbersPage = z.infer<typeof NumbersPageSchema>;

/** Why ClickSend refused the credentials. */
export type CredentialsProblem = 'invalid-credentials' | 'not-activated' | 'forbidden';

export type CredentialsCheck =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly reason: CredentialsProblem; readonly error: ClickSendApiError };

const problemOf = (error: ClickSendApiError): CredentialsProblem | undefined => {
  if (error.responseCode === 'ACCOUNT_NOT_ACTIVATED') return 'not-activated';
  if (error.status === 401) return 'invalid-credentials';
  // The `banned` test user gets 403 FORBIDDEN ("Your account is suspended ...").
  if (error.status === 403) return 'forbidden';
  return undefined;
};

export const createAccountApi = (transport: Transport) => {
  const get = (): Promise<Account> =>
    transport.call({ operation: 'account.get', method: 'GET', path: '/account', data: AccountSchema });

  return {
    /** Balance, currency and settings (`GET /account`, ClickSend's cheapest authenticated call). */
    get,
    /**
     * Whether the credentials work, as a value: a 401 or 403 is an answer about the credentials,
     * not a failure. Anything else (timeouts, 5xx) is thrown: it says nothing about them.
     */
    async verifyCredentials(): Promise<CredentialsCheck> {
      try {
        return { ok: true, account: await get() };
      } catch (error) {
        if (!(error instanceof ClickSendApiError)) throw error;
        const reason = problemOf(error);
        if (reason === undefined) throw error;
        return { ok: false, reason, error };
      }
    },
    /** The account's dedicated numbers (the ones customers can text and reply to). */
    async numbers(query?: PageQuery): Promise<NumbersPage> {
      const page = verifyPageQuery('account.numbers', query);
      return transport.call({
        operation: 'account.numbers',
        method: 'GET',
        path: '/numbers',
        query: { ...page },
        data: NumbersPageSchema,
      });
    },
  };
};
export type AccountApi = ReturnType<typeof createAccountApi>;

/** `GET /account` and `GET /numbers` (the account's dedicated numbers). */
import { createHash } from 'node:crypto';
import { SMS_MESSAGE_CHAR_LIMIT } from '../accounts.js';
import type { SandboxDeps } from '../deps.js';
import { success } from '../envelope.js';
import { accountOf } from '../outbound.js';
import { paginate } from '../paging.js';
import { parseRecipient } from '../phone.js';
import { balanceString, CURRENCY } from '../pricing.js';
import type { ApiRequest, Route } from '../router.js';
import type { SandboxAccount } from '../types.js';

const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  AU: 'Australia',
  US: 'United States',
  GB: 'United Kingdom',
  NZ: 'New Zealand',
  CA: 'Canada',
};

/** A stable upper-case GUID for a number, like ClickSend's `number_guid`. */
const guidOf = (text: string): string => {
  const hex = createHash('sha1').update(text).digest('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

const accountView = (deps: SandboxDeps, account: SandboxAccount) => ({
  user_id: account.userId,
  username: account.username,
  user_email: `${account.username}@example.com`,
  active: 1,
  banned: 0,
  date_sign_up: 1436871253,
  balance: balanceString(deps.state.balances.get(account.username) ?? 0),
  user_phone: deps.dedicatedNumbers[0] ?? null,
  reply_to: 'originalemail',
  delivery_to: null,
  user_first_name: 'Sandbox',
  user_last_name: 'User',
  account: 0,
  account_name: 'ClickSend Sandbox',
  account_billing_email: `${account.username}@example.com`,
  account_billing_mobile: deps.dedicatedNumbers[0] ?? null,
  priority: 2,
  country: 'AU',
  country_ip: 'AU',
  default_country_sms: 'AU',
  auto_recharge: 0,
  auto_recharge_amount: '20.00',
  low_credit_amount: '0.00',
  setting_unicode_sms: 0,
  setting_email_sms_subject: 0,
  setting_fix_sender_id: 0,
  setting_sms_message_char_limit: SMS_MESSAGE_CHAR_LIMIT,
  old_dashboard: 0,
  balance_commission: '0.000000',
  timezone: 'Australia/Melbourne',
  price_rate: 0,
  private_uploads: 0,
  fax_quality: 0,
  setting_sms_hide_your_number: 0,
  setting_sms_hide_business_name: 0,
  pricing_variant: 0,
  on_trial: 0,
  trial_expiry: null,
  _currency: CURRENCY,
  // ClickSend really does echo the subaccount's API key here.
  _subaccount: {
    subaccount_id: account.subaccountId,
    api_username: account.username,
    email: `${account.username}@example.com`,
    phone_number: deps.dedicatedNumbers[0] ?? null,
    first_name: 'Sandbox',
    last_name: 'User',
    api_key: account.apiKey,
    access_users: 1,
    access_billing: 1,
    access_reporting: 1,
    access_contacts: 1,
    access_settings: 1,
    access_sms: 1,
    access_email: 1,
    access_voice: 1,
    access_fax: 1,
    access_post: 1,
    access_reseller: 0,
    access_global_sending: 1,
    access_mms: 1,
    is_main: 1,
  },
});

const numberView = (number: string) => {
  const parsed = parseRecipient(number);
  const country = parsed.country;
  return {
    dedicated_number: number,
    country,
    price: '18.59',
    _country_name: COUNTRY_NAMES[country] ?? country,
    notes: null,
    type: 'sms',
    number_type: 'longcode',
    number_category: null,
    number_guid: guidOf(number),
    form_submission_id: null,
    status: { value: 0, label: 'REGISTRATION_NOT_REQUIRED', description: 'Your number is ready to go.', name: 'Ready to use' },
  };
};

export const accountRoutes = (deps: SandboxDeps): Route[] => [
  {
    method: 'GET',
    path: '/v3/account',
    access: 'account',
    handle: (r: ApiRequest) => success("Here's your account.", accountView(deps, accountOf(r))),
  },
  {
    method: 'GET',
    path: '/v3/numbers',
    access: 'account',
    handle: (r: ApiRequest) => {
      const page = paginate(deps.dedicatedNumbers.map(numberView), r.query, `${deps.baseUrl()}/v3/numbers`);
      return success('Here are you dedicated numbers.', { ...page, _currency: CURRENCY });
    },
  },
];

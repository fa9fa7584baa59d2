import type { ClickSendClient } from '../clicksend/client.js';
import type { Logger } from '../log.js';

export const INBOUND_RULE_NAME = 'Teams bridge inbound SMS';
export const RECEIPT_RULE_NAME = 'Teams bridge delivery receipts';
export const VOICE_RECEIPT_RULE_NAME = 'Teams bridge voice delivery receipts';

export interface WebhookRegistrationOptions {
  /** The bridge's public base URL (`PUBLIC_URL`). */
  readonly publicUrl: string;
  readonly token: string;
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** The last segment of each webhook's path (see WEBHOOK_PATHS). */
type Route = 'inbound' | 'receipts' | 'voice-receipts';

/** The part of a webhook URL that is ours to recognise, without the token (never logged). */
const routeOf = (publicUrl: string, route: Route) => `${publicUrl}/webhooks/clicksend/${route}`;

/** All rows of a paged listing (rules are few; ClickSend pages them anyway). */
const everyRule = async <R>(list: (query: { page: number; limit: number }) => Promise<{ data: R[]; last_page: number }>): Promise<R[]> => {
  const rows: R[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await list({ page, limit: 100 });
    rows.push(...answer.data);
    if (page >= answer.last_page) return rows;
  }
};

const isUrlAction = (action: string | undefined): boolean => action?.toUpperCase() === 'URL';

type Address = (route: Route) => string;

const ensureInboundRule = async (clicksend: ClickSendClient, publicUrl: string, address: Address): Promise<Outcome> => {
  const rules = await everyRule((q) => clicksend.automations.inbound.list(q));
  const fields = {
    dedicated_number: '*',
    rule_name: INBOUND_RULE_NAME,
    message_search_type: 0 as const,
    message_search_term: '*',
    action: 'URL' as const,
    action_address: address('inbound'),
    enabled: 1 as const,
    webhook_type: 'json' as const,
  };
  const own = rules.find((r) => r.rule_name === INBOUND_RULE_NAME || r.action_address?.startsWith(routeOf(publicUrl, 'inbound')));
  if (!own) {
    await clicksend.automations.inbound.create(fields);
    return 'created';
  }
  const current =
    own.action_address === fields.action_address &&
    isUrlAction(own.action) &&
    own.enabled === 1 &&
    own.webhook_type === 'json' &&
    own.dedicated_number === '*' &&
    // Under type 0 (any message) the search term is ignored; any other type narrows the rule.
    (own.message_search_type ?? 0) === 0;
  if (current) return 'unchanged';
  await clicksend.automations.inbound.update(own.inbound_rule_id, fields);
  return 'updated';
};

/** SMS and voice delivery-receipt rules take the same fields; each kind has its own rules and route. */
const ensureReceiptRule = async (
  rulesApi: ClickSendClient['automations']['receipts' | 'voiceReceipts'],
  target: { readonly ruleName: string; readonly route: Route },
  publicUrl: string,
  address: Address,
): Promise<Outcome> => {
  const rules = await everyRule((q) => rulesApi.list(q));
  const fields = { rule_name: target.ruleName, match_type: 0, action: 'URL' as const, action_address: address(target.route), enabled: 1 as const };
  const own = rules.find((r) => r.rule_name === target.ruleName || r.action_address?.startsWith(routeOf(publicUrl, target.route)));
  if (!own) {
    await rulesApi.create(fields);
    return 'created';
  }
  const current = own.action_address === fields.action_address && isUrlAction(own.action) && own.enabled === 1 && (own.match_type ?? 0) === 0;
  if (current) return 'unchanged';
  await rulesApi.update(own.receipt_rule_id, fields);
  return 'updated';
};

/**
 * Makes sure ClickSend pushes inbound SMS (as JSON), SMS delivery receipts and voice delivery
 * receipts to this bridge, as the Power Automate connector registers its trigger: one rule of
 * each kind whose address is our webhook, created when missing and corrected when it points
 * elsewhere, is disabled or was narrowed (to some numbers, some messages, another action).
 * Idempotent: running it again changes nothing. Logs what it did, never the token.
 */
export const ensureWebhookRules = async (
  clicksend: ClickSendClient,
  options: WebhookRegistrationOptions,
  logger: Logger,
): Promise<{ inbound: Outcome; receipts: Outcome; voiceReceipts: Outcome }> => {
  const log = logger.child({ module: 'webhook-registration' });
  const { publicUrl } = options;
  const address: Address = (route) => `${routeOf(publicUrl, route)}?token=${encodeURIComponent(options.token)}`;
  const { automations } = clicksend;
  const inbound = await ensureInboundRule(clicksend, publicUrl, address);
  const receipts = await ensureReceiptRule(automations.receipts, { ruleName: RECEIPT_RULE_NAME, route: 'receipts' }, publicUrl, address);
  const voiceReceipts = await ensureReceiptRule(
    automations.voiceReceipts,
    { ruleName: VOICE_RECEIPT_RULE_NAME, route: 'voice-receipts' },
    publicUrl,
    address,
  );
  log.info({ inbound, receipts, voiceReceipts, url: publicUrl }, 'clicksend webhook rules checked');
  return { inbound, receipts, voiceReceipts };
};

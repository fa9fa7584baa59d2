import type { ClickSendClient } from '../clicksend/client.js';
import type { Logger } from '../log.js';

export const INBOUND_RULE_NAME = 'Teams bridge inbound SMS';
export const RECEIPT_RULE_NAME = 'Teams bridge delivery receipts';

export interface WebhookRegistrationOptions {
  /** The bridge's public base URL (`PUBLIC_URL`). */
  readonly publicUrl: string;
  readonly token: string;
}

type Outcome = 'created' | 'updated' | 'unchanged';

/** The part of a webhook URL that is ours to recognise, without the token (never logged). */
const routeOf = (publicUrl: string, kind: 'inbound' | 'receipts') => `${publicUrl}/webhooks/clicksend/${kind}`;

/** All rows of a paged listing (rules are few; ClickSend pages them anyway). */
const everyRule = async <R>(list: (query: { page: number; limit: number }) => Promise<{ data: R[]; last_page: number }>): Promise<R[]> => {
  const rows: R[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await list({ page, limit: 100 });
    rows.push(...answer.data);
    if (page >= answer.last_page) return rows;
  }
};

/**
 * Makes sure ClickSend pushes inbound SMS (as JSON) and delivery receipts to this bridge, as
 * the Power Automate connector registers its trigger: one rule of each kind whose address is
 * our webhook, created when missing and corrected when it points elsewhere or is disabled.
 * Idempotent: running it again changes nothing. Logs what it did, never the token.
 */
export const ensureWebhookRules = async (
  clicksend: ClickSendClient,
  options: WebhookRegistrationOptions,
  logger: Logger,
): Promise<{ inbound: Outcome; receipts: Outcome }> => {
  const log = logger.child({ module: 'webhook-registration' });
  const address = (kind: 'inbound' | 'receipts') => `${routeOf(options.publicUrl, kind)}?token=${encodeURIComponent(options.token)}`;

  const inboundRules = await everyRule((q) => clicksend.automations.inbound.list(q));
  const inboundFields = {
    dedicated_number: '*',
    rule_name: INBOUND_RULE_NAME,
    message_search_type: 0 as const,
    message_search_term: '*',
    action: 'URL' as const,
    action_address: address('inbound'),
    enabled: 1 as const,
    webhook_type: 'json' as const,
  };
  const ownInbound = inboundRules.find((r) => r.rule_name === INBOUND_RULE_NAME || r.action_address?.startsWith(routeOf(options.publicUrl, 'inbound')));
  let inbound: Outcome = 'unchanged';
  if (!ownInbound) {
    await clicksend.automations.inbound.create(inboundFields);
    inbound = 'created';
  } else if (
    ownInbound.action_address !== inboundFields.action_address ||
    ownInbound.enabled !== 1 ||
    ownInbound.webhook_type !== 'json' ||
    ownInbound.dedicated_number !== '*'
  ) {
    await clicksend.automations.inbound.update(ownInbound.inbound_rule_id, inboundFields);
    inbound = 'updated';
  }

  const receiptRules = await everyRule((q) => clicksend.automations.receipts.list(q));
  const receiptFields = { rule_name: RECEIPT_RULE_NAME, match_type: 0, action: 'URL' as const, action_address: address('receipts'), enabled: 1 as const };
  const ownReceipt = receiptRules.find((r) => r.rule_name === RECEIPT_RULE_NAME || r.action_address?.startsWith(routeOf(options.publicUrl, 'receipts')));
  let receipts: Outcome = 'unchanged';
  if (!ownReceipt) {
    await clicksend.automations.receipts.create(receiptFields);
    receipts = 'created';
  } else if (ownReceipt.action_address !== receiptFields.action_address || ownReceipt.enabled !== 1) {
    await clicksend.automations.receipts.update(ownReceipt.receipt_rule_id, receiptFields);
    receipts = 'updated';
  }

  log.info({ inbound, receipts, url: options.publicUrl }, 'clicksend webhook rules checked');
  return { inbound, receipts };
};

/**
 * "A customer texts our number": the inbound SMS is recorded and pushed to every inbound rule
 * that matches it, with the fields and old aliases ClickSend's pushes carry.
 */
import { z } from 'zod';
import type { SandboxDeps } from './deps.js';
import { ApiError } from './envelope.js';
import { newMessageId } from './outbound.js';
import { normalizeNumber, parseRecipient } from './phone.js';
import type { PushPayload } from './pushes.js';
import type { InboundMessage, InboundRuleRecord, WebhookType } from './state.js';
import { looseText, parseBody, requiredText } from './validation.js';

export interface SimulateInboundInput {
  /** The customer's number. */
  readonly from: string;
  /** Our dedicated number; defaults to the account's first. */
  readonly to?: string;
  readonly body: string;
  /** The outbound message this replies to, as ClickSend links replies. */
  readonly original_message_id?: string;
}

export interface SimulateInboundResult {
  readonly message_id: string;
  readonly from: string;
  readonly to: string;
  readonly timestamp: number;
  /** The rules the SMS was pushed to (delivery is asynchronous: see `/_sandbox/pushes`). */
  readonly pushed_to: readonly { inbound_rule_id: number; url: string; webhook_type: WebhookType; push_id: number }[];
}

const InputSchema = z.looseObject({
  from: requiredText,
  to: looseText,
  body: z.string(),
  original_message_id: looseText,
});

/** Message search types: 0 any, 1 starts with, 2 contains, 3 does not contain (case-insensitive). */
export const searchMatches = (type: number, term: string | null, body: string): boolean => {
  const needle = (term ?? '').trim().toLowerCase();
  if (type === 0 || needle === '' || needle === '*') return true;
  const text = body.toLowerCase();
  if (type === 1) return text.trimStart().startsWith(needle);
  if (type === 2) return text.includes(needle);
  if (type === 3) return !text.includes(needle);
  return false;
};

export const ruleMatches = (rule: InboundRuleRecord, to: string, body: string): boolean =>
  rule.enabled === 1 &&
  rule.action.toUpperCase() === 'URL' &&
  rule.action_address !== '' &&
  (rule.dedicated_number.trim() === '*' || normalizeNumber(rule.dedicated_number) === to) &&
  searchMatches(rule.message_search_type, rule.message_search_term, body);

/** The push body, in the order of ClickSend's own form posts. */
export const inboundPayload = (m: InboundMessage): PushPayload => ({
  timestamp: m.timestamp,
  from: m.from,
  sms: m.from,
  body: m.body,
  message: m.body,
  to: m.to,
  originalsenderid: m.to,
  message_id: m.message_id,
  original_message_id: m.original_message_id,
  originalmessageid: m.original_message_id,
  original_body: m.original_body,
  originalmessage: m.original_body,
  custom_string: m.custom_string,
  customstring: m.custom_string,
  user_id: m.user_id,
  subaccount_id: m.subaccount_id,
});

const numberOrFail = (field: string, value: string): string => {
  const parsed = parseRecipient(value);
  if (!parsed.valid) throw new ApiError('BAD_REQUEST', `${field}: "${value}" is not a valid phone number.`);
  return parsed.e164;
};

export const simulateInbound = (deps: SandboxDeps, raw: unknown): SimulateInboundResult => {
  const input = parseBody(InputSchema, raw);
  const from = numberOrFail('from', input.from);
  const toInput = input.to ?? deps.dedicatedNumbers[0];
  if (toInput === undefined) throw new ApiError('BAD_REQUEST', 'to: the sandbox has no dedicated number; give one.');
  const to = numberOrFail('to', toInput);
  const original = input.original_message_id ? deps.state.messagesById.get(input.original_message_id) : undefined;
  if (input.original_message_id && !original) {
    throw new ApiError('NOT_FOUND', `original_message_id: no message ${input.original_message_id} was sent.`);
  }
  // The user of the original message when this is a reply, else the number's owner.
  const owner = deps.accounts.find((a) => a.username === original?.username) ?? deps.mainAccount;
  const message: InboundMessage = {
    message_id: newMessageId(),
    from,
    to,
    body: input.body,
    timestamp: deps.clock.nowSeconds(),
    original_message_id: original?.messageId ?? '',
    original_body: original?.body ?? '',
    custom_string: original?.customString ?? '',
    user_id: owner.userId,
    subaccount_id: owner.subaccountId,
  };
  deps.state.inbound.push(message);
  const pushedTo = [...deps.state.inboundRules.values()]
    .filter((rule) => ruleMatches(rule, to, message.body))
    .map((rule) => {
      const push = deps.pushes.push({
        kind: 'inbound',
        ruleId: rule.inbound_rule_id,
        messageId: message.message_id,
        url: rule.action_address,
        format: rule.webhook_type,
        payload: inboundPayload(message),
      });
      return { inbound_rule_id: rule.inbound_rule_id, url: rule.action_address, webhook_type: rule.webhook_type, push_id: push.id };
    });
  return { message_id: message.message_id, from, to, timestamp: message.timestamp, pushed_to: pushedTo };
};

import { z } from 'zod';
import { E164Schema } from '../domain/phone.js';
import { verifyId, verifyPageQuery, verifyRequest } from './requests.js';
import { EmptyDataSchema, looseNumber, optionalNumber, optionalString, pageOf, type Page, type PageQuery } from './schemas.js';
import type { Transport } from './transport.js';

/**
 * Automations: the SMS inbound rules, SMS delivery-receipt rules and voice delivery-receipt
 * rules that make ClickSend push to a URL. The bridge registers its webhooks through these, as
 * the Power Automate trigger does.
 */

/** What a rule does, as ClickSend lists them for both kinds of rule. */
export const RULE_ACTIONS = [
  'AUTO_REPLY',
  'EMAIL_USER',
  'EMAIL_FIXED',
  'URL',
  'SMS',
  'POLL',
  'GROUP_SMS',
  'MOVE_CONTACT',
  'CREATE_CONTACT',
  'CREATE_CONTACT_PLUS_EMAIL',
  'CREATE_CONTACT_PLUS_NAME_EMAIL',
  'CREATE_CONTACT_PLUS_NAME',
  'SMPP',
  'NONE',
] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];

/** 0 any message, 1 starts with, 2 contains, 3 does not contain (the search term). */
export const MESSAGE_SEARCH_TYPES = [0, 1, 2, 3] as const;

/** One dedicated number of the account, or `*` for all of them. */
const DedicatedNumberFieldSchema = z
  .string()
  .refine((v) => v === '*' || E164Schema.safeParse(v).success, "give a dedicated number like +61411111111, or '*' for all")
  .pipe(z.union([z.literal('*'), E164Schema]));

const enabled = z.union([z.literal(0), z.literal(1)], { error: 'enabled is 0 or 1' });
const ruleName = z.string().trim().min(1, 'give the rule a name');

/** A URL action must name a URL ClickSend can call. */
const urlActionHasUrl = (rule: { action: RuleAction; action_address: string }, ctx: z.RefinementCtx) => {
  if (rule.action === 'URL' && !z.url({ protocol: /^https?$/ }).safeParse(rule.action_address).success) {
    ctx.addIssue({ code: 'custom', path: ['action_address'], message: 'give the http(s) URL ClickSend should call' });
  }
};

export const InboundRuleFieldsSchema = z
  .object({
    dedicated_number: DedicatedNumberFieldSchema,
    rule_name: ruleName,
    message_search_type: z.literal(MESSAGE_SEARCH_TYPES, {
      error: 'message_search_type is 0 (any), 1 (starts with), 2 (contains) or 3 (does not contain)',
    }),
    message_search_term: z.string().optional(),
    action: z.enum(RULE_ACTIONS),
    action_address: z.string(),
    enabled,
    /** How a URL action sends the SMS: form post (ClickSend's default), query string, or JSON. */
    webhook_type: z.enum(['post', 'get', 'json']).optional(),
  })
  .superRefine((rule, ctx) => {
    urlActionHasUrl(rule, ctx);
    if (rule.action === 'URL' && rule.webhook_type === undefined) {
      ctx.addIssue({ code: 'custom', path: ['webhook_type'], message: 'a URL rule needs webhook_type post, get or json' });
    }
    if (rule.message_search_type !== 0 && !rule.message_search_term?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['message_search_term'], message: 'give the word or phrase to match' });
    }
  })
  // ClickSend lists the term as required even for "any message"; the connector then sends '*'.
  .transform((rule) => ({ ...rule, message_search_term: rule.message_search_term ?? '*' }));
export type InboundRuleFields = z.input<typeof InboundRuleFieldsSchema>;

export const ReceiptRuleFieldsSchema = z
  .object({
    rule_name: ruleName,
    /** 0 = all reports, the only value ClickSend documents. */
    match_type: z.number().int().nonnegative(),
    action: z.enum(RULE_ACTIONS),
    action_address: z.string(),
    enabled,
  })
  .superRefine(urlActionHasUrl);
export type ReceiptRuleFields = z.input<typeof ReceiptRuleFieldsSchema>;

const ruleFields = {
  rule_name: optionalString,
  action: optionalString,
  action_address: optionalString,
  enabled: optionalNumber,
};

// ClickSend's listing example names the id `sms_inbound_rule_id`, every other answer
// `inbound_rule_id`: accept either, and always expose `inbound_rule_id`.
const withInboundRuleId = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !('inbound_rule_id' in value) && 'sms_inbound_rule_id' in value
    ? { ...value, inbound_rule_id: value.sms_inbound_rule_id }
    : value;

export const InboundRuleSchema = z.preprocess(
  withInboundRuleId,
  z.looseObject({
    inbound_rule_id: looseNumber,
    dedicated_number: optionalString,
    message_search_type: optionalNumber,
    message_search_term: optionalString,
    webhook_type: optionalString,
    body: optionalString,
    ...ruleFields,
  }),
);
export type InboundRule = z.infer<typeof InboundRuleSchema>;

export const ReceiptRuleSchema = z.looseObject({
  receipt_rule_id: looseNumber,
  match_type: optionalNumber,
  ...ruleFields,
});
export type ReceiptRule = z.infer<typeof ReceiptRuleSchema>;

/**
 * A voice delivery-receipt rule (`/automations/voice/receipts`): ClickSend's
 * `voice_delivery_receipt_rule` has the SMS receipt rule's fields, and takes the same body.
 */
export const VoiceReceiptRuleSchema = ReceiptRuleSchema;
export type VoiceReceiptRule = ReceiptRule;
export const VoiceReceiptRuleFieldsSchema = ReceiptRuleFieldsSchema;
export type VoiceReceiptRuleFields = ReceiptRuleFields;

interface RuleKind<F, R> {
  /** The client's name for the kind, in operation names (`automations.voiceReceipts.list`). */
  readonly name: 'inbound' | 'receipts' | 'voiceReceipts';
  /** ClickSend's path of its rules, below the base URL. */
  readonly path: `/automations/${string}`;
  readonly idField: string;
  readonly fields: z.ZodType<unknown, F>;
  readonly rule: z.ZodType<R>;
}

const rulesApi = <F, R>(transport: Transport, kind: RuleKind<F, R>) => {
  const base = kind.path;
  const op = (verb: string) => `automations.${kind.name}.${verb}`;
  const pathOf = (verb: string, id: number | string) => `${base}/${verifyId(op(verb), kind.idField, id)}`;
  const bodyOf = (verb: string, fields: F) => verifyRequest(op(verb), kind.fields, fields);
  const page = pageOf(kind.rule);

  return {
    async list(query?: PageQuery): Promise<Page<R>> {
      const paging = verifyPageQuery(op('list'), query);
      return transport.call({ operation: op('list'), method: 'GET', path: base, query: { ...paging }, data: page });
    },
    async create(fields: F): Promise<R> {
      const body = bodyOf('create', fields);
      return transport.call({ operation: op('create'), method: 'POST', path: base, body, data: kind.rule });
    },
    /** Replaces the rule's fields with these (ClickSend's PUT takes the same body as create). */
    async update(id: number | string, fields: F): Promise<R> {
      const path = pathOf('update', id);
      const body = bodyOf('update', fields);
      return transport.call({ operation: op('update'), method: 'PUT', path, body, data: kind.rule });
    },
    async delete(id: number | string): Promise<void> {
      const path = pathOf('delete', id);
      await transport.call({ operation: op('delete'), method: 'DELETE', path, data: EmptyDataSchema });
    },
  };
};

export const createAutomationsApi = (transport: Transport) => ({
  inbound: rulesApi<InboundRuleFields, InboundRule>(transport, {
    name: 'inbound',
    path: '/automations/sms/inbound',
    idField: 'inbound_rule_id',
    fields: InboundRuleFieldsSchema,
    rule: InboundRuleSchema,
  }),
  receipts: rulesApi<ReceiptRuleFields, ReceiptRule>(transport, {
    name: 'receipts',
    path: '/automations/sms/receipts',
    idField: 'receipt_rule_id',
    fields: ReceiptRuleFieldsSchema,
    rule: ReceiptRuleSchema,
  }),
  voiceReceipts: rulesApi<VoiceReceiptRuleFields, VoiceReceiptRule>(transport, {
    name: 'voiceReceipts',
    path: '/automations/voice/receipts',
    idField: 'receipt_rule_id',
    fields: VoiceReceiptRuleFieldsSchema,
    rule: VoiceReceiptRuleSchema,
  }),
});
export type AutomationsApi = ReturnType<typeof createAutomationsApi>;

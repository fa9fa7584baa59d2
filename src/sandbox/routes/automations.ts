/**
 * `GET/POST /automations/sms/inbound`, `GET/PUT/DELETE /automations/sms/inbound/{inbound_rule_id}`,
 * `GET/POST /automations/sms/receipts`, `GET/PUT/DELETE /automations/sms/receipts/{receipt_rule_id}`,
 * and the same for `/automations/voice/receipts`. Rules with `action: URL` are what make the
 * sandbox push (see pushes.ts and receipts.ts).
 */
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { ApiError, success } from '../envelope.js';
import { paginate } from '../paging.js';
import { RULE_ACTIONS } from '../../clicksend/automations.js';
import type { ApiRequest, Route } from '../router.js';
import { nextId, type InboundRuleRecord, type ReceiptRuleRecord, type SandboxState } from '../state.js';
import { flag, idParam, looseInt, looseText, parseBody, requiredText } from '../validation.js';

const ACTIONS = RULE_ACTIONS;

const upper = (v: unknown) => (typeof v === 'string' ? v.trim().toUpperCase() : v);
const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

const Action = z.preprocess(upper, z.enum(ACTIONS));
const WebhookType = z.preprocess(lower, z.enum(['post', 'get', 'json']));
/** `action_address` may legitimately be empty (POLL, NONE). */
const Address = z.preprocess((v) => (v === null ? '' : typeof v === 'number' ? String(v) : v), z.string());
const SearchType = looseInt.pipe(z.number().min(0).max(3, { error: 'must be 0 (any), 1 (starts with), 2 (contains) or 3 (does not contain)' }));

const inboundFields = {
  dedicated_number: requiredText,
  rule_name: requiredText,
  message_search_type: SearchType,
  message_search_term: looseText,
  action: Action,
  action_address: Address,
  body: looseText,
  enabled: flag,
  webhook_type: WebhookType.optional(),
};
const InboundCreate = z.looseObject(inboundFields);
// Updates keep only known fields (`z.object` strips the rest), so a PUT cannot add junk to a rule.
const InboundUpdate = z.object(inboundFields).partial();

const receiptFields = {
  rule_name: requiredText,
  match_type: looseInt,
  action: Action,
  action_address: Address,
  enabled: flag,
  webhook_type: WebhookType.optional(),
};
const ReceiptCreate = z.looseObject(receiptFields);
const ReceiptUpdate = z.object(receiptFields).partial();

/** ClickSend can only push to a URL it can reach. */
const verifyUrlAction = (rule: { action: string; action_address: string }): void => {
  if (rule.action !== 'URL') return;
  const ok = URL.canParse(rule.action_address) && /^https?:$/.test(new URL(rule.action_address).protocol);
  if (!ok) {
    const message = 'action_address: must be an http(s) URL when action is URL.';
    throw new ApiError('BAD_REQUEST', message, { data: { action_address: message } });
  }
};

/** Copies the defined values of `patch` onto `target`. */
const assignDefined = <T extends object>(target: T, patch: Partial<T>): T => {
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) Object.assign(target, { [key]: value });
  return target;
};

/** One kind of delivery-receipt rule: where it lives, its store, and ClickSend's words for it. */
interface ReceiptRuleKind {
  readonly path: string;
  readonly rules: Map<number, ReceiptRuleRecord>;
  readonly sequence: 'receiptRule' | 'voiceReceiptRule';
  readonly messages: { readonly created: string; readonly listed: string; readonly read: string; readonly updated: string; readonly deleted: string };
}

const receiptRuleKinds = (state: SandboxState): ReceiptRuleKind[] => [
  {
    path: '/v3/automations/sms/receipts',
    rules: state.receiptRules,
    sequence: 'receiptRule',
    messages: {
      created: 'Your new SMS receipt has been added.',
      listed: 'Your list of rule incoming sms receipt.',
      read: 'Your rule incoming sms receipt.',
      updated: 'Your rule incoming sms receipt has been updated.',
      deleted: 'Your rule incoming sms receipt has been deleted.',
    },
  },
  {
    // ClickSend's own answers, word for word, from its API description.
    path: '/v3/automations/voice/receipts',
    rules: state.voiceReceiptRules,
    sequence: 'voiceReceiptRule',
    messages: {
      created: 'Your new voice receipt has been added.',
      listed: 'Your voice receipts.',
      read: 'Your rule incoming voice receipt.',
      updated: 'Your rule incoming voice receipt.',
      deleted: 'Your rule voice receipt has been deleted.',
    },
  },
];

const receiptRuleRoutes = (deps: SandboxDeps, kind: ReceiptRuleKind): Route[] => {
  const { path, rules, messages } = kind;
  const find = (r: ApiRequest): ReceiptRuleRecord => {
    const rule = rules.get(idParam(r.params.receipt_rule_id, 'Receipt rule'));
    if (!rule) throw new ApiError('NOT_FOUND', 'Receipt rule not found.');
    return rule;
  };

  const create = (r: ApiRequest) => {
    const body = parseBody(ReceiptCreate, r.body);
    const rule: ReceiptRuleRecord = {
      receipt_rule_id: nextId(deps.state, kind.sequence),
      rule_name: body.rule_name,
      match_type: body.match_type,
      action: body.action,
      action_address: body.action_address,
      enabled: body.enabled,
      ...(body.webhook_type ? { webhook_type: body.webhook_type } : {}),
    };
    verifyUrlAction(rule);
    rules.set(rule.receipt_rule_id, rule);
    return success(messages.created, rule);
  };

  const update = (r: ApiRequest) => {
    const next = assignDefined({ ...find(r) }, parseBody(ReceiptUpdate, r.body ?? {}));
    verifyUrlAction(next);
    rules.set(next.receipt_rule_id, next);
    return success(messages.updated, next);
  };

  const remove = (r: ApiRequest) => {
    rules.delete(find(r).receipt_rule_id);
    return success(messages.deleted, []);
  };

  const list = (r: ApiRequest) => success(messages.listed, paginate([...rules.values()], r.query, `${deps.baseUrl()}${path}`));

  return [
    { method: 'GET', path, access: 'account', handle: list },
    { method: 'POST', path, access: 'account', handle: create },
    { method: 'GET', path: `${path}/:receipt_rule_id`, access: 'account', handle: (r) => success(messages.read, find(r)) },
    { method: 'PUT', path: `${path}/:receipt_rule_id`, access: 'account', handle: update },
    { method: 'DELETE', path: `${path}/:receipt_rule_id`, access: 'account', handle: remove },
  ];
};

export const automationRoutes = (deps: SandboxDeps): Route[] => {
  const { state } = deps;
  const INBOUND = '/v3/automations/sms/inbound';

  const findInbound = (r: ApiRequest): InboundRuleRecord => {
    const rule = state.inboundRules.get(idParam(r.params.inbound_rule_id, 'Inbound rule'));
    if (!rule) throw new ApiError('NOT_FOUND', 'Inbound rule not found.');
    return rule;
  };

  const listInbound = (r: ApiRequest) => {
    // ClickSend's list example names the id `sms_inbound_rule_id`, unlike every other inbound-rule answer.
    const rows = [...state.inboundRules.values()].map(({ inbound_rule_id, ...rest }) => ({ sms_inbound_rule_id: inbound_rule_id, ...rest }));
    return success('Your list of inbound rules.', paginate(rows, r.query, `${deps.baseUrl()}${INBOUND}`));
  };

  const createInbound = (r: ApiRequest) => {
    const body = parseBody(InboundCreate, r.body);
    const rule: InboundRuleRecord = {
      inbound_rule_id: nextId(state, 'inboundRule'),
      dedicated_number: body.dedicated_number,
      rule_name: body.rule_name,
      message_search_type: body.message_search_type,
      message_search_term: body.message_search_term ?? null,
      action: body.action,
      action_address: body.action_address,
      body: body.body ?? null,
      enabled: body.enabled,
      webhook_type: body.webhook_type ?? 'post',
    };
    verifyUrlAction(rule);
    state.inboundRules.set(rule.inbound_rule_id, rule);
    return success('Your record has been added.', rule);
  };

  const updateInbound = (r: ApiRequest) => {
    const current = findInbound(r);
    const next = assignDefined({ ...current }, parseBody(InboundUpdate, r.body ?? {}));
    verifyUrlAction(next);
    state.inboundRules.set(next.inbound_rule_id, next);
    return success('Your record has been updated.', next);
  };

  return [
    { method: 'GET', path: INBOUND, access: 'account', handle: listInbound },
    { method: 'POST', path: INBOUND, access: 'account', handle: createInbound },
    { method: 'GET', path: `${INBOUND}/:inbound_rule_id`, access: 'account', handle: (r) => success('Your inbound rule.', findInbound(r)) },
    { method: 'PUT', path: `${INBOUND}/:inbound_rule_id`, access: 'account', handle: updateInbound },
    {
      method: 'DELETE',
      path: `${INBOUND}/:inbound_rule_id`,
      access: 'account',
      handle: (r) => {
        state.inboundRules.delete(findInbound(r).inbound_rule_id);
        return success('Your record has been deleted.', []);
      },
    },
    ...receiptRuleKinds(state).flatMap((kind) => receiptRuleRoutes(deps, kind)),
  ];
};

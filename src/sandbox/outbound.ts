/**
 * What every send shares: expanding `list_id` into one message per contact, reading `schedule`,
 * charging the account, counting totals, and keeping each accepted message (which queues its
 * delivery receipt). ClickSend answers 200 for the batch and reports status per message.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxDeps } from './deps.js';
import { ApiError, success, type JsonReply } from './envelope.js';
import { CURRENCY, roundPrice } from './pricing.js';
import type { MessageType, SentMessage } from './state.js';
import type { Recipient } from './phone.js';
import type { SandboxAccount } from './types.js';

export const MAX_RECIPIENTS = 1000;

/** ClickSend's message ids are upper-case UUIDs. */
export const newMessageId = (): string => randomUUID().toUpperCase();

export interface Target<M> {
  readonly input: M;
  readonly to: string | undefined;
  readonly listId: number | null;
  readonly contactId: number | null;
  /** A status decided before any other check (unknown list, no recipient). */
  readonly problem: 'MISSING_REQUIRED_FIELDS' | 'NOT_ENOUGH_PERMISSION_TO_LIST_ID' | undefined;
}

export const tooManyRecipients = (count: number): ApiError =>
  new ApiError('TOO_MANY_RECIPIENTS', `Too many recipients: ${count} given, at most ${MAX_RECIPIENTS} per call.`);

/** One target per message with `to`, one per contact (having `field`) of a message's `list_id`. */
export const expandTargets = <M extends { to?: string | undefined; list_id?: number | undefined }>(
  deps: SandboxDeps,
  messages: readonly M[],
  field: 'phone_number' | 'fax_number',
): Target<M>[] => {
  if (messages.length > MAX_RECIPIENTS) throw tooManyRecipients(messages.length);
  const targets: Target<M>[] = [];
  for (const input of messages) {
    const to = input.to?.trim() ? input.to : undefined;
    if (to !== undefined || input.list_id === undefined) {
      targets.push({ input, to, listId: input.list_id ?? null, contactId: null, problem: to ? undefined : 'MISSING_REQUIRED_FIELDS' });
      continue;
    }
    const listId = input.list_id;
    if (!deps.state.lists.has(listId)) {
      targets.push({ input, to: undefined, listId, contactId: null, problem: 'NOT_ENOUGH_PERMISSION_TO_LIST_ID' });
      continue;
    }
    for (const contact of deps.state.contacts.values()) {
      const number = contact.list_id === listId ? contact[field] : null;
      if (number) targets.push({ input, to: number, listId, contactId: contact.contact_id, problem: undefined });
    }
  }
  if (targets.length > MAX_RECIPIENTS) throw tooManyRecipients(targets.length);
  return targets;
};

export type Schedule = { readonly ok: true; readonly at: number | undefined } | { readonly ok: false };

/** `schedule` is Unix seconds; `''`, `0` and absent mean "now"; a past time sends now. */
/** What every message draft derives the same way from its target, recipient and schedule. */
export const addressOf = (
  target: Target<{ readonly country?: string | undefined }>,
  recipient: Recipient | undefined,
  schedule: Schedule,
  now: number,
) => ({
  to: recipient?.valid ? recipient.e164 : (target.to ?? null),
  country: recipient?.country ?? target.input.country ?? null,
  dueAt: (schedule.ok ? schedule.at : undefined) ?? now,
  messageId: newMessageId(),
  /** ClickSend's test numbers cost nothing. */
  free: recipient?.valid === true && recipient.test,
});

export const parseSchedule = (value: unknown): Schedule => {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return { ok: true, at: undefined };
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? { ok: true, at: n } : { ok: false };
};

/** One message (or post recipient) after its own checks, before credit is looked at. */
export interface Draft {
  readonly messageId: string;
  /** `SUCCESS` or the per-message failure found so far. */
  readonly status: string;
  /** What it costs if sent. */
  readonly price: number;
  /** A documented test recipient: accepted, not charged. */
  readonly free: boolean;
  readonly to: string;
  readonly from: string | null;
  readonly body: string | null;
  readonly customString: string | null;
  /** Unix seconds the message is due. */
  readonly dueAt: number;
  /** The message as the API answers it, given its final status and price. */
  readonly toRecord: (status: string, price: number) => Record<string, unknown>;
}

export interface Settled {
  readonly total_price: number;
  readonly total_count: number;
  readonly queued_count: number;
  readonly blocked_count: number;
  readonly records: Record<string, unknown>[];
}

const charge = (deps: SandboxDeps, account: SandboxAccount, draft: Draft): string => {
  if (account.status === 'no-credit') return 'INSUFFICIENT_CREDIT';
  if (draft.free) return 'SUCCESS';
  const balance = deps.state.balances.get(account.username) ?? 0;
  if (balance < draft.price) return 'INSUFFICIENT_CREDIT';
  deps.state.balances.set(account.username, roundPrice(balance - draft.price));
  return 'SUCCESS';
};

const keep = (deps: SandboxDeps, type: MessageType, account: SandboxAccount, draft: Draft, record: Record<string, unknown>): void => {
  const sentAt = deps.clock.nowSeconds();
  const message: SentMessage = {
    type,
    username: account.username,
    messageId: draft.messageId,
    record,
    to: draft.to,
    from: draft.from,
    body: draft.body,
    customString: draft.customString,
    sentAt,
    dueAt: draft.dueAt,
    delivery: draft.dueAt > sentAt ? 'scheduled' : 'queued',
  };
  deps.state.messages.push(message);
  deps.state.messagesById.set(message.messageId, message);
  deps.receipts.schedule(message);
};

/**
 * Charges (for `send`), keeps accepted messages, and counts. A price preview (`price`) charges
 * nothing and keeps nothing.
 */
export const settle = (
  deps: SandboxDeps,
  args: { type: MessageType; account: SandboxAccount; mode: 'send' | 'price'; drafts: readonly Draft[] },
): Settled => {
  let total = 0;
  let queued = 0;
  const records: Record<string, unknown>[] = [];
  for (const draft of args.drafts) {
    const status = draft.status === 'SUCCESS' && args.mode === 'send' ? charge(deps, args.account, draft) : draft.status;
    const price = status === 'SUCCESS' ? draft.price : 0;
    const record = draft.toRecord(status, price);
    records.push(record);
    if (status !== 'SUCCESS') continue;
    total += price;
    queued += 1;
    if (args.mode === 'send') keep(deps, args.type, args.account, draft, record);
  }
  return {
    total_price: roundPrice(total),
    total_count: records.length,
    queued_count: queued,
    blocked_count: records.length - queued,
    records,
  };
};

/** The calling account (routes with `access: 'account'` always have one). */
export const accountOf = (request: { readonly account: SandboxAccount | undefined }): SandboxAccount => {
  if (!request.account) throw new ApiError('UNAUTHORIZED', 'Authorization failed.');
  return request.account;
};

/** The first failed check's status, or `SUCCESS`. */
export const statusOf = (...checks: ReadonlyArray<readonly [failed: boolean, status: string]>): string =>
  checks.find(([failed]) => failed)?.[1] ?? 'SUCCESS';

/** The answer of a message send or price call. */
export const answerMessages = (mode: 'send' | 'price', settled: Settled): JsonReply =>
  success(mode === 'send' ? 'Messages queued for delivery.' : 'Here is some pricing.', {
    total_price: settled.total_price,
    total_count: settled.total_count,
    queued_count: settled.queued_count,
    messages: settled.records,
    _currency: CURRENCY,
    blocked_count: settled.blocked_count,
  });

/**
 * Everything the sandbox keeps in memory. Records use ClickSend's own field names so routes
 * answer them (almost) as stored. One store for all accounts: the sandbox is one ClickSend world.
 */
import type {
  ContactRecord,
  InboundMessage,
  InboundRuleRecord,
  ListRecord,
  PushRecord,
  ReceiptRuleRecord,
  ReturnAddressRecord,
  SentMessage,
  UploadRecord,
} from './records.js';
import type { SandboxAccount } from './types.js';

export type {
  ContactRecord,
  Delivery,
  InboundMessage,
  InboundRuleRecord,
  ListRecord,
  MessageType,
  PushRecord,
  ReceiptRuleRecord,
  ReturnAddressRecord,
  SentMessage,
  UploadRecord,
  WebhookType,
} from './records.js';
export { MESSAGE_TYPES } from './records.js';

type Sequence = 'list' | 'contact' | 'returnAddress' | 'upload' | 'inboundRule' | 'receiptRule' | 'voiceReceiptRule' | 'push';

const FIRST_IDS: Readonly<Record<Sequence, number>> = {
  list: 428,
  contact: 552786,
  returnAddress: 4,
  upload: 1,
  inboundRule: 10,
  receiptRule: 5,
  voiceReceiptRule: 2,
  push: 1,
};

export interface SandboxState {
  readonly lists: Map<number, ListRecord>;
  readonly contacts: Map<number, ContactRecord>;
  readonly returnAddresses: Map<number, ReturnAddressRecord>;
  /** By file name (the last segment of `_url`). */
  readonly uploads: Map<string, UploadRecord>;
  readonly inboundRules: Map<number, InboundRuleRecord>;
  readonly receiptRules: Map<number, ReceiptRuleRecord>;
  /** Voice delivery-receipt rules (`/automations/voice/receipts`): where voice receipts go. */
  readonly voiceReceiptRules: Map<number, ReceiptRuleRecord>;
  /** Every accepted outbound message, oldest first. */
  readonly messages: SentMessage[];
  readonly messagesById: Map<string, SentMessage>;
  readonly inbound: InboundMessage[];
  readonly pushes: PushRecord[];
  /** Balance per username, in AUD. */
  readonly balances: Map<string, number>;
  readonly sequences: Record<Sequence, number>;
}

/** What tests may read: the same live objects, typed read-only. */
export interface SandboxStateView {
  readonly lists: ReadonlyMap<number, Readonly<ListRecord>>;
  readonly contacts: ReadonlyMap<number, Readonly<ContactRecord>>;
  readonly returnAddresses: ReadonlyMap<number, Readonly<ReturnAddressRecord>>;
  readonly uploads: ReadonlyMap<string, UploadRecord>;
  readonly inboundRules: ReadonlyMap<number, Readonly<InboundRuleRecord>>;
  readonly receiptRules: ReadonlyMap<number, Readonly<ReceiptRuleRecord>>;
  readonly voiceReceiptRules: ReadonlyMap<number, Readonly<ReceiptRuleRecord>>;
  readonly messages: readonly Readonly<SentMessage>[];
  readonly inbound: readonly InboundMessage[];
  readonly pushes: readonly Readonly<PushRecord>[];
  readonly balances: ReadonlyMap<string, number>;
}

export const createState = (accounts: readonly SandboxAccount[]): SandboxState => {
  const state: SandboxState = {
    lists: new Map(),
    contacts: new Map(),
    returnAddresses: new Map(),
    uploads: new Map(),
    inboundRules: new Map(),
    receiptRules: new Map(),
    voiceReceiptRules: new Map(),
    messages: [],
    messagesById: new Map(),
    inbound: [],
    pushes: [],
    balances: new Map(),
    sequences: { ...FIRST_IDS },
  };
  resetState(state, accounts);
  return state;
};

/** Empties the store in place, so views handed out earlier stay live. */
export const resetState = (state: SandboxState, accounts: readonly SandboxAccount[]): void => {
  for (const map of [state.lists, state.contacts, state.returnAddresses, state.uploads]) map.clear();
  state.inboundRules.clear();
  state.receiptRules.clear();
  state.voiceReceiptRules.clear();
  state.messagesById.clear();
  state.messages.length = 0;
  state.inbound.length = 0;
  state.pushes.length = 0;
  state.balances.clear();
  for (const account of accounts) state.balances.set(account.username, account.initialBalance);
  Object.assign(state.sequences, FIRST_IDS);
};

export const nextId = (state: SandboxState, sequence: Sequence): number => {
  const id = state.sequences[sequence];
  state.sequences[sequence] = id + 1;
  return id;
};

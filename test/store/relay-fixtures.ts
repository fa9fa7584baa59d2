import type { DeliveryReceipt, InboundSms, LinkRecord, OutboundRecord, OutboxRow, ThreadRecord } from '../../src/store/relay.js';
import type { Store } from '../../src/store/store.js';

export const OUR = '+61411111111';
export const OTHER_OURS = '+61422222222';
export const CUSTOMER = '+61433333333';
export const CUSTOMER_2 = '+61444444444';
export const T0 = new Date('2030-01-01T00:00:00.000Z');

export const link = (number: string, overrides: Partial<LinkRecord> = {}): LinkRecord => ({
  number,
  teamId: 'team-1',
  channelId: '19:sms@thread.tacv2',
  tenantId: 'tenant-1',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  botId: '28:bot-app-id',
  createdBy: '29:user-1',
  createdAt: T0,
  ...overrides,
});

export const inbound = (messageId: string, overrides: Partial<InboundSms> = {}): InboundSms => ({
  messageId,
  from: CUSTOMER,
  to: OUR,
  body: 'Is my order ready?',
  sentAt: T0,
  ...overrides,
});

export const outbound = (messageId: string, overrides: Partial<OutboundRecord> = {}): OutboundRecord => ({
  messageId,
  ourNumber: OUR,
  customerNumber: CUSTOMER,
  body: 'Yes, come by after 3pm',
  sentBy: 'Ada Lovelace',
  status: 'queued',
  createdAt: T0,
  units: 1,
  price: 0.0792,
  currency: { currency_name_short: 'AUD', currency_prefix_d: '$' },
  ...overrides,
});

export const receipt = (messageId: string, status: DeliveryReceipt['status'], statusText?: string): DeliveryReceipt => ({
  messageId,
  status,
  statusText,
  receivedAt: T0,
});

export const thread = (overrides: Partial<ThreadRecord> = {}): ThreadRecord => ({
  channelId: '19:sms@thread.tacv2',
  ourNumber: OUR,
  customerNumber: CUSTOMER,
  conversationId: '19:sms@thread.tacv2;messageid=1700000000001',
  rootMessageId: '1700000000001',
  createdAt: T0,
  ...overrides,
});

/** Claims and completes every row there is, head by head, and returns them in that order. */
export const drainOutbox = async (store: Store, worker = 'drain'): Promise<OutboxRow[]> => {
  const delivered: OutboxRow[] = [];
  for (;;) {
    const rows = await store.claimOutbox(worker, 100, 60_000);
    if (rows.length === 0) return delivered;
    delivered.push(...rows);
    await store.completeOutbox(rows.map((row) => row.id));
  }
};

/** The i-th of many customers, for tests that need many threads. */
export const customer = (i: number): string => `+6140000${String(i).padStart(4, '0')}`;

/** The message id of a message's task, or the kind of any other. */
export const taskId = (row: OutboxRow): string => ('messageId' in row.task ? row.task.messageId : row.task.kind);

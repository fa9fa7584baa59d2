/**
 * Delivery receipts: `delayMs` after a message is due, every enabled URL receipt rule is pushed
 * a receipt saying "delivered" (status 201), for test numbers and any other number alike.
 */
import type { Clock } from './deps.js';
import type { PushDispatcher, PushPayload } from './pushes.js';
import type { MessageType, SandboxState, SentMessage } from './state.js';
import type { SandboxAccount } from './types.js';

export interface ReceiptSchedulerDeps {
  readonly state: SandboxState;
  readonly clock: Clock;
  readonly pushes: PushDispatcher;
  readonly delayMs: number;
  readonly accountOf: (username: string) => SandboxAccount | undefined;
}

// setTimeout's ceiling; a message scheduled further out simply never gets its receipt here.
const MAX_TIMER_MS = 2_147_483_647;

const DELIVERED_TEXT: Readonly<Record<MessageType, string | undefined>> = {
  sms: 'Success: Message received on handset.',
  mms: 'Success: Message received on handset.',
  voice: 'Delivered',
  fax: 'Delivered',
  // ClickSend documents no push for post.
  letter: undefined,
  postcard: undefined,
};

export const receiptPayload = (message: SentMessage, subaccountId: number, now: number): PushPayload => ({
  timestamp_send: message.dueAt,
  timestamp: now,
  message_id: message.messageId,
  status_code: 201,
  status_text: DELIVERED_TEXT[message.type] ?? 'Delivered',
  error_code: null,
  error_text: null,
  custom_string: message.customString,
  subaccount_id: subaccountId,
  message_type: message.type,
  digits: null,
});

export const createReceiptScheduler = ({ state, clock, pushes, delayMs, accountOf }: ReceiptSchedulerDeps) => {
  const timers = new Map<string, NodeJS.Timeout>();

  const deliver = (message: SentMessage): void => {
    timers.delete(message.messageId);
    if (message.delivery === 'cancelled') return;
    message.delivery = 'delivered';
    const subaccountId = accountOf(message.username)?.subaccountId ?? 0;
    for (const rule of state.receiptRules.values()) {
      if (rule.enabled !== 1 || rule.action.toUpperCase() !== 'URL' || rule.action_address === '') continue;
      pushes.push({
        kind: 'receipt',
        ruleId: rule.receipt_rule_id,
        messageId: message.messageId,
        url: rule.action_address,
        format: rule.webhook_type ?? 'post',
        payload: receiptPayload(message, subaccountId, clock.nowSeconds()),
      });
    }
  };

  /** Queues the receipt of an accepted message (post gets none). */
  const schedule = (message: SentMessage): void => {
    if (DELIVERED_TEXT[message.type] === undefined) return;
    const untilDue = Math.max(0, (message.dueAt - clock.nowSeconds()) * 1000);
    const wait = Math.min(MAX_TIMER_MS, untilDue + delayMs);
    const timer = setTimeout(() => deliver(message), wait);
    timer.unref();
    timers.set(message.messageId, timer);
  };

  const cancel = (messageId: string): void => {
    const timer = timers.get(messageId);
    if (timer) clearTimeout(timer);
    timers.delete(messageId);
  };

  const clear = (): void => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  };

  return { schedule, cancel, clear };
};

export type ReceiptScheduler = ReturnType<typeof createReceiptScheduler>;

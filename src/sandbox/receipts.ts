/**
 * Delivery receipts, pushed to every enabled URL rule of the message's kind as ClickSend pushes
 * them: SMS, MMS and fax receipts to the SMS receipt rules (`/automations/sms/receipts`), voice
 * receipts to the voice receipt rules (`/automations/voice/receipts`). `delayMs` after a message
 * is due comes its outcome; a voice call first says "sent" (the call is being placed), and its
 * outcome follows `delayMs` later. The outcome is "delivered" for test numbers and any other
 * number alike, except `FAILING_NUMBER`, whose every message fails.
 */
import type { Clock } from './deps.js';
import type { PushDispatcher, PushPayload } from './pushes.js';
import type { MessageType, ReceiptRuleRecord, SandboxState, SentMessage } from './state.js';
import type { SandboxAccount } from './types.js';

/**
 * The sandbox's always-failing number (README: local run): SMS, MMS and voice calls to it are
 * accepted like any other, then their receipt says failed, with an error text naming it.
 */
export const FAILING_NUMBER = '+61400000999';

export interface ReceiptSchedulerDeps {
  readonly state: SandboxState;
  readonly clock: Clock;
  readonly pushes: PushDispatcher;
  readonly delayMs: number;
  readonly accountOf: (username: string) => SandboxAccount | undefined;
}

/** One receipt of a message's life; a message's last is its outcome. */
type Step = 'sent' | 'delivered' | 'failed';

// setTimeout's ceiling; a message scheduled further out simply never gets its receipt here.
const MAX_TIMER_MS = 2_147_483_647;

const DELIVERED_TEXT: Readonly<Record<MessageType, string | undefined>> = {
  sms: 'Success: Message received on handset.',
  mms: 'Success: Message received on handset.',
  // ClickSend's voice receipt example says the same.
  voice: 'Success: Message received on handset.',
  fax: 'Delivered',
  // ClickSend documents no push for post.
  letter: undefined,
  postcard: undefined,
};

/** ClickSend's receipt codes: 200 queued/sent, 201 delivered, 301 failed. */
const STATUS_CODE: Readonly<Record<Step, number>> = { sent: 200, delivered: 201, failed: 301 };
/** The voice receipt's own word for its outcome; none is documented for a call still going on. */
const VOICE_STATUS: Readonly<Record<Step, string>> = { sent: '', delivered: 'Delivered', failed: 'Undelivered' };
const FAILED_ERROR = { code: 'UNDELIVERABLE', text: `Undeliverable: the sandbox fails every message to ${FAILING_NUMBER}` };

const statusTextOf = (message: SentMessage, step: Step): string => {
  if (step === 'sent') return 'Sent: calling the handset.';
  if (step === 'failed') return message.type === 'voice' ? 'Undelivered' : 'Failed';
  return DELIVERED_TEXT[message.type] ?? 'Delivered';
};

/** The SMS receipt push (for MMS and fax too), in the order of ClickSend's own form posts. */
const receiptPayload = (message: SentMessage, step: Step, account: SandboxAccount | undefined, now: number): PushPayload => ({
  timestamp_send: message.dueAt,
  timestamp: now,
  message_id: message.messageId,
  status_code: STATUS_CODE[step],
  status_text: statusTextOf(message, step),
  error_code: step === 'failed' ? FAILED_ERROR.code : null,
  error_text: step === 'failed' ? FAILED_ERROR.text : null,
  custom_string: message.customString,
  subaccount_id: account?.subaccountId ?? 0,
  message_type: message.type,
  digits: null,
});

/** The voice receipt push, with the fields of ClickSend's `GET /voice/receipts` description, in its order. */
const voiceReceiptPayload = (message: SentMessage, step: Step, account: SandboxAccount | undefined, now: number): PushPayload => ({
  timestamp_send: message.dueAt,
  timestamp: now,
  message_id: message.messageId,
  status: VOICE_STATUS[step],
  status_code: STATUS_CODE[step],
  status_text: statusTextOf(message, step),
  error_code: step === 'failed' ? FAILED_ERROR.code : null,
  error_text: step === 'failed' ? FAILED_ERROR.text : null,
  custom_string: message.customString,
  user_id: account?.userId ?? 0,
  subaccount_id: account?.subaccountId ?? 0,
  message_type: 'voice',
  // "A blank string will be used if they didn't provide any input."
  digits: '',
});

const isUrlRule = (rule: ReceiptRuleRecord): boolean => rule.enabled === 1 && rule.action.toUpperCase() === 'URL' && rule.action_address !== '';

export const createReceiptScheduler = ({ state, clock, pushes, delayMs, accountOf }: ReceiptSchedulerDeps) => {
  const timers = new Map<string, NodeJS.Timeout>();

  const later = (message: SentMessage, wait: number, run: () => void): void => {
    const timer = setTimeout(run, Math.min(MAX_TIMER_MS, wait));
    timer.unref();
    timers.set(message.messageId, timer);
  };

  const push = (message: SentMessage, step: Step): void => {
    const voice = message.type === 'voice';
    const account = accountOf(message.username);
    const payload = (voice ? voiceReceiptPayload : receiptPayload)(message, step, account, clock.nowSeconds());
    for (const rule of (voice ? state.voiceReceiptRules : state.receiptRules).values()) {
      if (!isUrlRule(rule)) continue;
      pushes.push({
        kind: voice ? 'voice_receipt' : 'receipt',
        ruleId: rule.receipt_rule_id,
        messageId: message.messageId,
        url: rule.action_address,
        format: rule.webhook_type ?? 'post',
        payload,
      });
    }
  };

  /** Pushes the first step's receipt, and schedules the rest `delayMs` apart. */
  const run = (message: SentMessage, [step, ...rest]: readonly Step[]): void => {
    timers.delete(message.messageId);
    if (message.delivery === 'cancelled' || step === undefined) return;
    message.delivery = step;
    push(message, step);
    if (rest.length > 0) later(message, delayMs, () => run(message, rest));
  };

  /** Queues the receipts of an accepted message (post gets none). */
  const schedule = (message: SentMessage): void => {
    if (DELIVERED_TEXT[message.type] === undefined) return;
    const outcome: Step = message.to === FAILING_NUMBER ? 'failed' : 'delivered';
    const steps: Step[] = message.type === 'voice' ? ['sent', outcome] : [outcome];
    const untilDue = Math.max(0, (message.dueAt - clock.nowSeconds()) * 1000);
    later(message, untilDue + delayMs, () => run(message, steps));
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

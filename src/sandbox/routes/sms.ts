/** `POST /sms/send`, `POST /sms/price`, `PUT /sms/{message_id}/cancel`, `PUT /sms/cancel-all`. */
import { z } from 'zod';
import { SMS_MESSAGE_CHAR_LIMIT } from '../accounts.js';
import type { SandboxDeps } from '../deps.js';
import { ApiError, success } from '../envelope.js';
import { SmsSendSchema, type SmsMessageInput } from '../message-schemas.js';
import {
  accountOf,
  answerMessages,
  expandTargets,
  addressOf,
  parseSchedule,
  settle,
  statusOf,
  type Draft,
  type Target,
} from '../outbound.js';
import { carrierOf, isValidSender, parseRecipient } from '../phone.js';
import { PRICES, priceString } from '../pricing.js';
import type { ApiRequest, Route } from '../router.js';
import { segmentSms } from '../segments.js';
import type { SandboxAccount } from '../types.js';
import { looseText, parseBody } from '../validation.js';

const draftSms = (deps: SandboxDeps, account: SandboxAccount, target: Target<SmsMessageInput>): Draft => {
  const m = target.input;
  const now = deps.clock.nowSeconds();
  const recipient = target.to === undefined ? undefined : parseRecipient(target.to, m.country);
  const schedule = parseSchedule(m.schedule);
  const body = m.body ?? '';
  const segments = segmentSms(body, SMS_MESSAGE_CHAR_LIMIT);
  // Without `from` ClickSend picks the account's default sender: its dedicated number if it has one.
  const from = m.from ?? deps.dedicatedNumbers[0] ?? null;
  const status = statusOf(
    [target.problem !== undefined, target.problem ?? ''],
    [body.trim() === '', 'EMPTY_MESSAGE'],
    [!recipient?.valid, 'INVALID_RECIPIENT'],
    [m.from !== undefined && !isValidSender(m.from), 'INVALID_SENDER_ID'],
    [!schedule.ok, 'INVALID_SCHEDULE'],
  );
  const { to, country, dueAt, messageId, free } = addressOf(target, recipient, schedule, now);
  return {
    messageId,
    status,
    price: segments.parts * PRICES.smsPart,
    free,
    to: to ?? '',
    from,
    body: segments.text,
    customString: m.custom_string ?? null,
    dueAt,
    toRecord: (finalStatus, price) => ({
      direction: 'out',
      // ClickSend's example sends `date` as a string, unlike `schedule`.
      date: String(now),
      to,
      body: segments.text,
      from,
      schedule: dueAt,
      message_id: messageId,
      message_parts: segments.parts,
      message_price: priceString(price),
      from_email: m.from_email ?? null,
      list_id: target.listId === null ? null : String(target.listId),
      custom_string: m.custom_string ?? '',
      contact_id: target.contactId === null ? null : String(target.contactId),
      user_id: account.userId,
      subaccount_id: account.subaccountId,
      is_shared_system_number: from === null,
      country,
      carrier: recipient?.valid ? carrierOf(recipient.country) : null,
      status: finalStatus,
    }),
  };
};

const sendOrPrice = (deps: SandboxDeps, mode: 'send' | 'price') => (request: ApiRequest) => {
  const account = accountOf(request);
  const body = parseBody(SmsSendSchema, request.body);
  const drafts = expandTargets(deps, body.messages, 'phone_number').map((t) => draftSms(deps, account, t));
  const settled = settle(deps, { type: 'sms', account, mode, drafts });
  return answerMessages(mode, settled);
};

const CancelAllSchema = z.looseObject({ custom_string: looseText }).optional();

export const smsRoutes = (deps: SandboxDeps): Route[] => {
  const cancelOne = (request: ApiRequest) => {
    const account = accountOf(request);
    const message = deps.state.messagesById.get(request.params.message_id ?? '');
    if (!message || message.type !== 'sms' || message.username !== account.username) {
      throw new ApiError('NOT_FOUND', 'Message not found.');
    }
    if (message.delivery !== 'scheduled' || message.dueAt <= deps.clock.nowSeconds()) {
      throw new ApiError('BAD_REQUEST', 'Only scheduled messages that have not been sent can be cancelled.');
    }
    message.delivery = 'cancelled';
    deps.receipts.cancel(message.messageId);
    return success('Scheduled sms message has been cancelled.', null);
  };

  const cancelAll = (request: ApiRequest) => {
    const account = accountOf(request);
    const filter = parseBody(CancelAllSchema, request.body)?.custom_string;
    const now = deps.clock.nowSeconds();
    let count = 0;
    for (const message of deps.state.messages) {
      if (message.type !== 'sms' || message.username !== account.username) continue;
      if (message.delivery !== 'scheduled' || message.dueAt <= now) continue;
      if (filter !== undefined && message.customString !== filter) continue;
      message.delivery = 'cancelled';
      deps.receipts.cancel(message.messageId);
      count += 1;
    }
    return success(`${count} sms messages have been cancelled.`, { count });
  };

  return [
    { method: 'POST', path: '/v3/sms/send', access: 'account', handle: sendOrPrice(deps, 'send') },
    { method: 'POST', path: '/v3/sms/price', access: 'account', handle: sendOrPrice(deps, 'price') },
    { method: 'PUT', path: '/v3/sms/cancel-all', access: 'account', handle: cancelAll },
    { method: 'PUT', path: '/v3/sms/:message_id/cancel', access: 'account', handle: cancelOne },
  ];
};

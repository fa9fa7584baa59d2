/** `POST /fax/send` and `/fax/price`: one PDF (`file_url`) to each fax number. */
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { pagesAt } from '../files.js';
import { messageFields, messagesArray } from '../message-schemas.js';
import { accountOf, answerMessages, expandTargets, addressOf, parseSchedule, settle, statusOf, type Draft, type Target } from '../outbound.js';
import { carrierOf, isValidSender, parseRecipient, TEST_FAX_NUMBERS, TEST_NUMBERS } from '../phone.js';
import { PRICES, priceString } from '../pricing.js';
import type { ApiRequest, Route } from '../router.js';
import type { SandboxAccount } from '../types.js';
import { httpUrl, looseText, parseBody } from '../validation.js';

const FaxMessageSchema = z.looseObject({ ...messageFields, from_email: looseText });
const FaxSendSchema = z.looseObject({ file_url: httpUrl, messages: messagesArray(FaxMessageSchema) });
type FaxMessageInput = z.infer<typeof FaxMessageSchema>;

const FAX_TEST_NUMBERS: ReadonlySet<string> = new Set([...TEST_FAX_NUMBERS, ...TEST_NUMBERS]);

const draftFax = (
  deps: SandboxDeps,
  account: SandboxAccount,
  file: { url: string; pages: number },
  target: Target<FaxMessageInput>,
): Draft => {
  const m = target.input;
  const now = deps.clock.nowSeconds();
  const recipient = target.to === undefined ? undefined : parseRecipient(target.to, m.country, FAX_TEST_NUMBERS);
  const schedule = parseSchedule(m.schedule);
  const status = statusOf(
    [target.problem !== undefined, target.problem ?? ''],
    [!recipient?.valid, 'INVALID_RECIPIENT'],
    [m.from !== undefined && !isValidSender(m.from), 'INVALID_SENDER_ID'],
    [!schedule.ok, 'INVALID_SCHEDULE'],
  );
  const { to, country, dueAt, messageId, free } = addressOf(target, recipient, schedule, now);
  return {
    messageId,
    status,
    price: file.pages * PRICES.faxPage,
    free,
    to: to ?? '',
    from: m.from ?? null,
    body: null,
    customString: m.custom_string ?? null,
    dueAt,
    toRecord: (finalStatus, price) => ({
      user_id: account.userId,
      subaccount_id: account.subaccountId,
      list_id: target.listId === null ? null : String(target.listId),
      contact_id: target.contactId,
      message_id: messageId,
      to,
      from: m.from ?? null,
      carrier: recipient?.valid ? carrierOf(recipient.country) : null,
      country,
      custom_string: m.custom_string ?? '',
      schedule: dueAt,
      message_pages: file.pages,
      message_price: priceString(price),
      // No delivery report yet; the receipt push carries it.
      status_code: null,
      status_text: null,
      date_added: now,
      from_email: m.from_email ?? null,
      _file_url: file.url,
      status: finalStatus,
    }),
  };
};

const sendOrPrice = (deps: SandboxDeps, mode: 'send' | 'price') => (request: ApiRequest) => {
  const account = accountOf(request);
  const body = parseBody(FaxSendSchema, request.body);
  const file = { url: body.file_url, pages: pagesAt(deps, body.file_url) };
  const drafts = expandTargets(deps, body.messages, 'fax_number').map((t) => draftFax(deps, account, file, t));
  return answerMessages(mode, settle(deps, { type: 'fax', account, mode, drafts }));
};

export const faxRoutes = (deps: SandboxDeps): Route[] => [
  { method: 'POST', path: '/v3/fax/send', access: 'account', handle: sendOrPrice(deps, 'send') },
  { method: 'POST', path: '/v3/fax/price', access: 'account', handle: sendOrPrice(deps, 'price') },
];

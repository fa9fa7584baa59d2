/** `POST /voice/send`, `POST /voice/price`, `GET /voice/lang`: text-to-speech calls. */
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { success } from '../envelope.js';
import { messageFields, messagesArray } from '../message-schemas.js';
import { accountOf, answerMessages, expandTargets, addressOf, parseSchedule, settle, statusOf, type Draft, type Target } from '../outbound.js';
import { carrierOf, parseRecipient } from '../phone.js';
import { PRICES, priceString } from '../pricing.js';
import type { ApiRequest, Route } from '../router.js';
import { segmentVoice } from '../segments.js';
import type { SandboxAccount } from '../types.js';
import { flag, looseText, parseBody } from '../validation.js';
import { findVoiceLanguage, voiceLanguageRows } from '../voice-languages.js';

const VoiceMessageSchema = z.looseObject({
  ...messageFields,
  body: looseText,
  lang: looseText,
  voice: looseText,
  require_input: flag.optional(),
  machine_detection: flag.optional(),
});
const VoiceSendSchema = z.looseObject({ messages: messagesArray(VoiceMessageSchema) });
type VoiceMessageInput = z.infer<typeof VoiceMessageSchema>;

const draftVoice = (deps: SandboxDeps, account: SandboxAccount, target: Target<VoiceMessageInput>): Draft => {
  const m = target.input;
  const now = deps.clock.nowSeconds();
  const recipient = target.to === undefined ? undefined : parseRecipient(target.to, m.country);
  const schedule = parseSchedule(m.schedule);
  const text = segmentVoice(m.body ?? '');
  const language = findVoiceLanguage(m.lang);
  // `voice` defaults to the language's first (female where it has one), as ClickSend's table says.
  const voice = (m.voice ?? language?.genders[0] ?? 'female').trim().toLowerCase();
  const status = statusOf(
    [target.problem !== undefined, target.problem ?? ''],
    [text.text.trim() === '', 'EMPTY_MESSAGE'],
    [!recipient?.valid, 'INVALID_RECIPIENT'],
    [language === undefined, 'INVALID_LANG'],
    [!language?.genders.some((g) => g === voice), 'INVALID_VOICE'],
    [!schedule.ok, 'INVALID_SCHEDULE'],
  );
  const { to, country, dueAt, messageId, free } = addressOf(target, recipient, schedule, now);
  return {
    messageId,
    status,
    price: text.parts * PRICES.voicePart,
    free,
    to: to ?? '',
    from: m.from ?? null,
    body: text.text,
    customString: m.custom_string ?? null,
    dueAt,
    toRecord: (finalStatus, price) => ({
      date: String(now),
      date_added: now,
      list_id: target.listId === null ? null : String(target.listId),
      contact_id: target.contactId,
      to,
      to_type: recipient?.valid && recipient.landline ? 'landline' : 'mobile',
      body: text.text,
      from: m.from ?? null,
      lang: m.lang ?? null,
      voice,
      schedule: dueAt,
      message_id: messageId,
      message_parts: text.parts,
      message_price: priceString(price),
      custom_string: m.custom_string ?? '',
      user_id: account.userId,
      subaccount_id: account.subaccountId,
      country,
      require_input: m.require_input ?? 0,
      machine_detection: m.machine_detection ?? 0,
      machine_detected: null,
      digits: null,
      carrier: recipient?.valid ? carrierOf(recipient.country) : null,
      status_code: null,
      status_text: null,
      status: finalStatus,
      _api_username: account.username,
    }),
  };
};

const sendOrPrice = (deps: SandboxDeps, mode: 'send' | 'price') => (request: ApiRequest) => {
  const account = accountOf(request);
  const body = parseBody(VoiceSendSchema, request.body);
  const drafts = expandTargets(deps, body.messages, 'phone_number').map((t) => draftVoice(deps, account, t));
  const settled = settle(deps, { type: 'voice', account, mode, drafts });
  return answerMessages(mode, settled);
};

export const voiceRoutes = (deps: SandboxDeps): Route[] => [
  { method: 'POST', path: '/v3/voice/send', access: 'account', handle: sendOrPrice(deps, 'send') },
  { method: 'POST', path: '/v3/voice/price', access: 'account', handle: sendOrPrice(deps, 'price') },
  {
    method: 'GET',
    path: '/v3/voice/lang',
    access: 'account',
    handle: () => success('Here are the possible languages.', voiceLanguageRows()),
  },
];

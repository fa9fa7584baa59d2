/** `POST /mms/send`, `POST /mms/price`: one media file for the call, a subject and body per message. */
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { ApiError } from '../envelope.js';
import { extensionOf, findUpload } from '../files.js';
import { messageFields, messagesArray } from '../message-schemas.js';
import { accountOf, answerMessages, expandTargets, newMessageId, parseSchedule, settle, statusOf, type Draft, type Target } from '../outbound.js';
import { isValidSender, parseRecipient } from '../phone.js';
import { PRICES, priceString } from '../pricing.js';
import type { ApiRequest, Route } from '../router.js';
import { segmentMms } from '../segments.js';
import type { SandboxAccount } from '../types.js';
import { looseText, parseBody } from '../validation.js';

const MmsMessageSchema = z.looseObject({ ...messageFields, subject: looseText, body: looseText });
const MmsSendSchema = z.looseObject({
  media_file: z.string(),
  messages: messagesArray(MmsMessageSchema),
});
type MmsMessageInput = z.infer<typeof MmsMessageSchema>;

export const SUBJECT_MAX = 20;
const MAX_BYTES = 250 * 1024;
const MAX_GIF_BYTES = 100 * 1024;
// jpg and gif go straight through; png, bmp and even jpeg must be converted by /uploads?convert=mms first.
const DIRECT_TYPES = new Set(['jpg', 'gif']);

/** ClickSend's INVALID_MEDIA_FILE for what it cannot send as is. */
const verifyMediaFile = (deps: SandboxDeps, url: string): void => {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new ApiError('INVALID_MEDIA_FILE', 'media_file: must be an http(s) URL.');
  }
  const ext = extensionOf(url);
  if (ext !== undefined && !DIRECT_TYPES.has(ext)) {
    throw new ApiError('INVALID_MEDIA_FILE', `media_file: .${ext} files must be converted with /uploads?convert=mms first.`);
  }
  const size = findUpload(deps, url)?.bytes.length ?? 0;
  if (size > MAX_BYTES || (ext === 'gif' && size > MAX_GIF_BYTES)) {
    throw new ApiError('INVALID_MEDIA_FILE', `media_file: ${size} bytes is over the MMS size limit.`);
  }
};

const draftMms = (deps: SandboxDeps, mediaFile: string, target: Target<MmsMessageInput>): Draft => {
  const m = target.input;
  const now = deps.clock.nowSeconds();
  const recipient = target.to === undefined ? undefined : parseRecipient(target.to, m.country);
  const schedule = parseSchedule(m.schedule);
  const subject = (m.subject ?? '').slice(0, SUBJECT_MAX);
  const text = segmentMms(m.body ?? '');
  const from = m.from ?? deps.dedicatedNumbers[0] ?? null;
  const status = statusOf(
    [target.problem !== undefined, target.problem ?? ''],
    [subject.trim() === '', 'SUBJECT_REQUIRED'],
    [text.text.trim() === '', 'EMPTY_MESSAGE'],
    [!recipient?.valid, 'INVALID_RECIPIENT'],
    [m.from !== undefined && !isValidSender(m.from), 'INVALID_SENDER_ID'],
    [!schedule.ok, 'INVALID_SCHEDULE'],
  );
  const to = recipient?.valid ? recipient.e164 : (target.to ?? null);
  const scheduledAt = schedule.ok ? schedule.at : undefined;
  const messageId = newMessageId();
  return {
    messageId,
    status,
    price: PRICES.mms,
    free: recipient?.valid === true && recipient.test,
    to: to ?? '',
    from,
    body: text.text,
    customString: m.custom_string ?? null,
    dueAt: scheduledAt ?? now,
    toRecord: (finalStatus, price) => ({
      list_id: target.listId === null ? null : String(target.listId),
      contact_id: target.contactId,
      message_id: messageId,
      to,
      subject,
      from,
      body: text.text,
      country: recipient?.country ?? m.country ?? null,
      custom_string: m.custom_string ?? '',
      // ClickSend's example answers an unscheduled MMS with `schedule: ""`.
      schedule: scheduledAt ?? '',
      message_parts: text.parts,
      message_price: priceString(price),
      _media_file_url: mediaFile,
      status: finalStatus,
    }),
  };
};

const sendOrPrice = (deps: SandboxDeps, mode: 'send' | 'price') => (request: ApiRequest) => {
  const account: SandboxAccount = accountOf(request);
  const body = parseBody(MmsSendSchema, request.body);
  verifyMediaFile(deps, body.media_file);
  const drafts = expandTargets(deps, body.messages, 'phone_number').map((t) => draftMms(deps, body.media_file, t));
  const settled = settle(deps, { type: 'mms', account, mode, drafts });
  return answerMessages(mode, settled);
};

export const mmsRoutes = (deps: SandboxDeps): Route[] => [
  { method: 'POST', path: '/v3/mms/send', access: 'account', handle: sendOrPrice(deps, 'send') },
  { method: 'POST', path: '/v3/mms/price', access: 'account', handle: sendOrPrice(deps, 'price') },
];

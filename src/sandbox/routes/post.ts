/** Letters and postcards, `send` and `price`: per-recipient statuses, like messages. */
import { z } from 'zod';
import type { SandboxDeps } from '../deps.js';
import { success } from '../envelope.js';
import { pagesAt } from '../files.js';
import { accountOf, MAX_RECIPIENTS, newMessageId, parseSchedule, settle, statusOf, tooManyRecipients, type Draft } from '../outbound.js';
import { TEST_POSTAL_CODES } from '../phone.js';
import { CURRENCY, PRICES, priceString } from '../pricing.js';
import type { ApiRequest, Route } from '../router.js';
import type { SandboxAccount } from '../types.js';
import { flag, httpUrl, looseText, optionalInt, parseBody } from '../validation.js';

const RecipientSchema = z.looseObject({
  address_name: looseText,
  address_line_1: looseText,
  address_line_2: looseText,
  address_city: looseText,
  address_state: looseText,
  address_postal_code: looseText,
  address_country: looseText,
  return_address_id: optionalInt,
  schedule: z.unknown().optional(),
  custom_string: looseText,
});
type RecipientInput = z.infer<typeof RecipientSchema>;

const recipients = z.array(RecipientSchema).min(1, { error: 'must hold at least one recipient' });

const LetterSchema = z.looseObject({
  file_url: httpUrl,
  template_used: flag.optional(),
  colour: flag,
  duplex: flag,
  priority_post: flag.optional(),
  source: looseText,
  recipients,
});

const PostcardSchema = z.looseObject({
  file_urls: z.array(httpUrl).min(1, { error: 'must hold 1 or 2 URLs' }).max(2, { error: 'must hold 1 or 2 URLs' }),
  source: looseText,
  recipients,
});

const REQUIRED = ['address_name', 'address_line_1', 'address_city', 'address_state', 'address_postal_code', 'address_country'] as const;

/** The checks and fields every post recipient shares; `extra` adds the product's own fields. */
const draftRecipient = (
  deps: SandboxDeps,
  account: SandboxAccount,
  r: RecipientInput,
  product: { fileUrl: string; price: number; extra: Record<string, unknown> },
): Draft => {
  const now = deps.clock.nowSeconds();
  const schedule = parseSchedule(r.schedule);
  const returnAddress = r.return_address_id === undefined ? undefined : deps.state.returnAddresses.get(r.return_address_id);
  const status = statusOf(
    [REQUIRED.some((field) => !r[field]?.trim()) || r.return_address_id === undefined, 'MISSING_REQUIRED_FIELDS'],
    [returnAddress === undefined, 'INVALID_RETURN_ADDRESS'],
    // ClickSend wants ISO 3166 alpha-2 countries on post.
    [!/^[A-Za-z]{2}$/.test(r.address_country ?? ''), 'INVALID_RECIPIENT'],
    [!schedule.ok, 'INVALID_SCHEDULE'],
  );
  const dueAt = (schedule.ok ? schedule.at : undefined) ?? now;
  const messageId = newMessageId();
  return {
    messageId,
    status,
    price: product.price,
    free: TEST_POSTAL_CODES.has((r.address_postal_code ?? '').trim()),
    to: r.address_name ?? '',
    from: null,
    body: null,
    customString: r.custom_string ?? null,
    dueAt,
    toRecord: (finalStatus, price) => ({
      user_id: account.userId,
      subaccount_id: account.subaccountId,
      message_id: messageId,
      address_name: r.address_name ?? null,
      address_line_1: r.address_line_1 ?? null,
      address_line_2: r.address_line_2 ?? '',
      address_city: r.address_city ?? null,
      address_state: r.address_state ?? null,
      address_postal_code: r.address_postal_code ?? null,
      address_country: r.address_country?.toUpperCase() ?? null,
      return_address_id: r.return_address_id ?? null,
      custom_string: r.custom_string ?? '',
      ...product.extra,
      schedule: dueAt,
      post_price: priceString(price),
      date_added: now,
      status: finalStatus,
      _file_url: product.fileUrl,
      _return_address: returnAddress ? { ...returnAddress } : null,
      _api_username: account.username,
    }),
  };
};

const answer = (kind: 'letter' | 'postcard', mode: 'send' | 'price', settled: ReturnType<typeof settle>) =>
  success(mode === 'price' ? 'Here are some results.' : kind === 'letter' ? 'Letters queued for delivery.' : 'Postcards queued for delivery.', {
    total_price: settled.total_price,
    total_count: settled.total_count,
    queued_count: settled.queued_count,
    recipients: settled.records,
    _currency: CURRENCY,
  });

const sendLetters = (deps: SandboxDeps, mode: 'send' | 'price') => (request: ApiRequest) => {
  const account = accountOf(request);
  const body = parseBody(LetterSchema, request.body);
  if (body.recipients.length > MAX_RECIPIENTS) throw tooManyRecipients(body.recipients.length);
  const pages = pagesAt(deps, body.file_url);
  const priority = body.priority_post ?? 0;
  const price = pages * (PRICES.letterPage + body.colour * PRICES.letterColourPage) + priority * PRICES.letterPriority;
  const extra = {
    source: body.source ?? null,
    colour: body.colour,
    duplex: body.duplex,
    template_used: body.template_used ?? 0,
    post_pages: pages,
    priority_post: priority,
  };
  const drafts = body.recipients.map((r) => draftRecipient(deps, account, r, { fileUrl: body.file_url, price, extra }));
  return answer('letter', mode, settle(deps, { type: 'letter', account, mode, drafts }));
};

const sendPostcards = (deps: SandboxDeps, mode: 'send' | 'price') => (request: ApiRequest) => {
  const account = accountOf(request);
  const body = parseBody(PostcardSchema, request.body);
  if (body.recipients.length > MAX_RECIPIENTS) throw tooManyRecipients(body.recipients.length);
  const fileUrl = body.file_urls[0] ?? '';
  const extra = { source: body.source ?? null, _file_urls: body.file_urls };
  const drafts = body.recipients.map((r) => draftRecipient(deps, account, r, { fileUrl, price: PRICES.postcard, extra }));
  return answer('postcard', mode, settle(deps, { type: 'postcard', account, mode, drafts }));
};

export const postRoutes = (deps: SandboxDeps): Route[] => [
  { method: 'POST', path: '/v3/post/letters/send', access: 'account', handle: sendLetters(deps, 'send') },
  { method: 'POST', path: '/v3/post/letters/price', access: 'account', handle: sendLetters(deps, 'price') },
  { method: 'POST', path: '/v3/post/postcards/send', access: 'account', handle: sendPostcards(deps, 'send') },
  { method: 'POST', path: '/v3/post/postcards/price', access: 'account', handle: sendPostcards(deps, 'price') },
];

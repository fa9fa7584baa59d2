/**
 * Retry failed, on a send's result card (see createSendActions): its own file, as the send
 * action's second half.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AdaptiveCardJson, Fact } from '../../cards/types.js';
import { UsageError } from '../../errors.js';
import { formValues, parseForm } from '../../bridge/forms.js';
import { kindWords, retryVerb } from '../../bridge/send-cards.js';
import type { SendOutcome, SendPlan } from '../../bridge/send.js';
import type { SendRecord } from '../../store/sends.js';
import type { Turn } from '../../teams/types.js';
import type { ActionOutcome, CardAction } from '../actions/action.js';
import type { BotDeps } from '../deps.js';
import { describeError } from '../error-card.js';

import type { SendSpec } from './send-action.js';

export type Many<S extends z.ZodType> = NonNullable<SendSpec<S>['many']>;

/**
 * The card that shows a send's price and asks to confirm it. `confirmData` is what its Confirm
 * button sends back, confirmed: the form's values, or a retry's send id (with the retry's verb).
 */
export type Confirmation<S extends z.ZodType> = (
  outcome: Extract<SendOutcome, { kind: 'confirm' }>,
  value: z.output<S>,
  confirmData: Readonly<Record<string, unknown>>,
  options?: { verb?: string; title?: string; facts?: Fact[] },
) => AdaptiveCardJson;

export interface RetryParts<S extends z.ZodType> {
  readonly confirmation: Confirmation<S>;
  readonly send: (
    turn: Turn,
    plan: SendPlan,
    data: Readonly<Record<string, unknown>>,
    how: { request: Record<string, string>; retryOf?: string; detail?: string },
  ) => Promise<ActionOutcome>;
}

/** Above this many, a retry confirmation carries its recipients' count and hash, not the numbers. */
const LISTED_RECIPIENTS = 200;

/** Names a set of recipients in any order: what a retry confirmation priced. */
const recipientSetHash = (recipients: readonly string[]): string =>
  createHash('sha256').update([...new Set(recipients)].sort().join('\n')).digest('base64url').slice(0, 22);

/** What Retry failed sends back: the send; its confirmation adds the recipients it priced (`recipients` up to `LISTED_RECIPIENTS`). */
const RetryData = z.object({
  sendId: z.string().min(1),
  confirmed: z.literal('1').optional(),
  count: z.coerce.number().int().nonnegative().optional(),
  set: z.string().optional(),
  recipients: z.array(z.string()).max(LISTED_RECIPIENTS).optional(),
});
type RetryData = z.infer<typeof RetryData>;

/** The confirmation's own data: exactly the recipients priced, so that Confirm sends no others. */
const pricedData = (sendId: string, recipients: readonly string[]): Record<string, unknown> => ({
  sendId,
  count: recipients.length,
  set: recipientSetHash(recipients),
  ...(recipients.length <= LISTED_RECIPIENTS ? { recipients } : {}),
});

/**
 * The recipients a Confirm priced, when every one of them is still failed; undefined when they
 * cannot be told (a card from before, a hash of a set that has grown since): then it asks again.
 */
const pricedStillFailed = (shown: RetryData, failed: ReadonlySet<string>): readonly string[] | undefined => {
  if (shown.set === undefined || shown.count === undefined) return undefined;
  const priced = shown.recipients ?? (shown.count === failed.size && recipientSetHash([...failed]) === shown.set ? [...failed] : []);
  const consistent = priced.length === shown.count && recipientSetHash(priced) === shown.set;
  return consistent && priced.length > 0 && priced.every((to) => failed.has(to)) ? priced : undefined;
};

/**
 * Retry failed, on a send's result card: the failed recipients are priced again and shown in a
 * new message to confirm (the first card goes on following its receipts); the confirmation sends
 * exactly the recipients it showed, once, audited as a retry of the first send. Nothing is
 * retried without that click, and nobody is sent to who was not priced: recipients that failed
 * since are left for another Retry.
 */
export const createRetryAction = <S extends z.ZodType>(deps: BotDeps, spec: SendSpec<S>, many: Many<S>, parts: RetryParts<S>): CardAction => {
  const planOf = (values: readonly z.output<S>[]): SendPlan => ({
    kind: spec.kind,
    numbers: values.flatMap((v) => spec.optOutNumbers?.(v) ?? []),
    confirmFirst: true,
    price: (client) => many.price(client, values),
    send: (client) => many.send(client, values),
  });

  /** Prices `recipients` and asks, in a new message: the first card goes on following its receipts. */
  const ask = async (sendId: string, recipients: readonly string[], values: readonly z.output<S>[]): Promise<ActionOutcome> => {
    const asked = await deps.sends.quote(planOf(values), false);
    if (!asked) throw new Error('a retry is always confirmed first');
    const to = recipients.length === 1 ? recipients[0]! : `${recipients.length} recipients whose ${kindWords(spec.kind).one} failed`;
    const facts = [{ title: 'To', value: to }, ...spec.describe(values[0]!).slice(1)];
    const title = `Send the failed ${kindWords(spec.kind).plural} again?`;
    const card = parts.confirmation(asked, values[0]!, pricedData(sendId, recipients), { verb: retryVerb(spec.kind), title, facts });
    return { reply: { card }, settled: 'retry' };
  };

  /**
   * The first send's own rule (a list send needs an admin), checked before anything is priced:
   * the button's fixed `sender` only lets the click in. Answered in a new message, for the
   * clicked card (the send's, following its receipts; or a confirmation) to stay as it is.
   */
  const refusal = (turn: Turn, request: Readonly<Record<string, unknown>>): ActionOutcome | undefined => {
    const { role, what } = spec.permission(request);
    try {
      deps.access.verify(turn.user, role, what);
      return undefined;
    } catch (error) {
      return { reply: { card: deps.cards.render('error', describeError(error, turn.activityId).card) }, settled: 'retry' };
    }
  };

  /** The ledger key of a set of a send's recipients: each set is retried once (Retry's confirmations may be many). */
  const retryKey = (sendId: string, recipients: readonly string[]): string => `retry:${sendId}:${recipientSetHash(recipients)}`;
  const alreadySent = (): ActionOutcome => ({
    reply: {
      card: deps.cards.render('done', {
        title: 'These were already sent again',
        message: 'Each failed set of a send is retried once, however many confirmations were posted. The card of that retry shows how it went.',
        facts: [],
        buttons: [],
      }),
    },
    settled: 'retry',
  });

  /** Sends the set once: claimed in the ledger, given back when nothing went out (every recipient refused, or refused before sending). */
  const sendOnce = async (turn: Turn, first: SendRecord, priced: readonly string[], values: readonly z.output<S>[]): Promise<ActionOutcome> => {
    const key = retryKey(first.id, priced);
    if ((await deps.submissions.claimSubmission(key)) === 'duplicate') return alreadySent();
    const request = formValues(first.request ?? {});
    try {
      const outcome = await parts.send(turn, planOf(values), request, { request, retryOf: first.id, detail: `retry of send ${first.id}` });
      await (outcome.settled === 'retry' ? deps.submissions.releaseSubmission(key) : deps.submissions.completeSubmission(key, null));
      return outcome;
    } catch (error) {
      // As the router does: only a failure known to have sent nothing frees the set for another try.
      await (describeError(error).retry ? deps.submissions.releaseSubmission(key) : deps.submissions.completeSubmission(key, null));
      throw error;
    }
  };

  return {
    verb: retryVerb(spec.kind),
    once: true,
    permission: { role: 'sender', what: 'Sending failed messages again' },
    async run({ turn, data }) {
      const shown = RetryData.safeParse(data);
      const first = shown.success ? await deps.sends.get(shown.data.sendId) : undefined;
      if (!shown.success || !first?.request) throw new UsageError('That send cannot be retried from here', 'Send it again from its form.');
      const refused = refusal(turn, first.request);
      if (refused) return refused;
      // Each failed number with what was asked for: a number the form would refuse is left out.
      const failed = new Map<string, z.output<S>>();
      for (const to of first.messages.filter((m) => m.status === 'failed').map((m) => m.recipient)) {
        const parsed = parseForm(spec.schema, { ...first.request, to, list_id: '' });
        if (parsed.ok) failed.set(to, parsed.value);
      }
      if (failed.size === 0) throw new UsageError('Nothing to retry', 'No failed recipient of that send can be sent again.');
      const priced = shown.data.confirmed === '1' ? pricedStillFailed(shown.data, new Set(failed.keys())) : undefined;
      if (priced) return sendOnce(turn, first, priced, priced.map((to) => failed.get(to)!));
      // A set retried already is not priced again: the first card still offers Retry (its rows stay failed).
      if (await deps.submissions.getSubmission(retryKey(first.id, [...failed.keys()]))) return alreadySent();
      return ask(first.id, [...failed.keys()], [...failed.values()]);
    },
  };
};

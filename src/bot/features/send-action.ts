import { z } from 'zod';
import type { Fact } from '../../cards/types.js';
import type { ClickSendClient } from '../../clicksend/client.js';
import { formatMoney } from '../../domain/money.js';
import { ClickSendNotConfiguredError, InvalidRequestError, OptedOutError } from '../../errors.js';
import { formValues, parseForm, type FormName, type FormParse } from '../../bridge/forms.js';
import { kindWords } from '../../bridge/send-cards.js';
import { CARD_ID_FIELD } from '../../cards/card-id.js';
import type { SendAnswer, SendPlan } from '../../bridge/send.js';
import type { SendKind } from '../../store/sends.js';
import type { Turn } from '../../teams/types.js';
import type { ActionOutcome, CardAction, Permission } from '../actions/action.js';
import type { BotDeps } from '../deps.js';
import { describeError, fieldOf } from '../error-card.js';
import type { FormCards } from '../form-cards.js';
import { createRetryAction, type Confirmation } from './retry-action.js';

export interface SendSpec<S extends z.ZodType> {
  /** The verb that sends (`sms.send`); acted on once per card. */
  readonly verb: string;
  /** The verb of the form's own button when it differs (`letter.price` prices first). */
  readonly priceVerb?: string;
  readonly form: FormName;
  readonly kind: SendKind;
  /** Who may send it (an SMS to a number: senders; to a whole list: admins), read from the raw input. */
  readonly permission: (data: Readonly<Record<string, unknown>>) => Permission;
  readonly schema: S;
  /** Checks ClickSend must be asked about (a voice the language has), right after the form parses; throws `InvalidRequestError`. */
  readonly verify?: (client: ClickSendClient, value: z.output<S>) => Promise<void>;
  /** The phone numbers texted or called, checked against opt-outs (none for fax and post). */
  readonly optOutNumbers?: (value: z.output<S>) => readonly string[];
  /** Whether to show the price and ask first whatever it costs: list sends, letters, postcards. */
  readonly confirmFirst: (value: z.output<S>) => boolean;
  /** What the confirmation card says the send is. */
  readonly describe: (value: z.output<S>) => Fact[];
  readonly price: (client: ClickSendClient, value: z.output<S>) => Promise<SendAnswer>;
  readonly send: (client: ClickSendClient, value: z.output<S>) => Promise<SendAnswer>;
  /** The same send to several numbers in one request: what Retry failed sends (none for post). */
  readonly many?: {
    readonly price: (client: ClickSendClient, values: readonly z.output<S>[]) => Promise<SendAnswer>;
    readonly send: (client: ClickSendClient, values: readonly z.output<S>[]) => Promise<SendAnswer>;
  };
}

/** What a send keeps of the submission for Retry failed: the form's values, not the click's own fields. */
const requestOf = (data: Readonly<Record<string, unknown>>): Record<string, string> => {
  const { confirmed: _confirmed, [CARD_ID_FIELD]: _card, ...values } = formValues(data);
  return values;
};

/** Whether a submission sends to a whole contact list (`list_id` given) rather than to numbers. */
export const namesList = (data: Readonly<Record<string, unknown>>): boolean => {
  const id = data.list_id;
  return typeof id === 'string' ? id.trim() !== '' : id !== undefined && id !== null;
};

export const needClickSend = (deps: BotDeps): ClickSendClient => {
  if (!deps.clicksend) throw new ClickSendNotConfiguredError();
  return deps.clicksend;
};

export const fieldErrors = (error: InvalidRequestError): Record<string, string> =>
  Object.fromEntries(error.issues.map((i) => [fieldOf(i.path) || 'form', i.message]));

/**
 * The card actions of one kind of send: Teams input in, a card out; the send itself is the
 * bridge's send pipeline (opt-outs, confirmation, one send, its record and audit). The form (or
 * command) is validated first; a bad input returns the form with the problem under its input and
 * nothing spent. The result card shows every recipient with ClickSend's message id, status, parts
 * or pages and price, and follows its receipts.
 */
export const createSendActions = <S extends z.ZodType>(deps: BotDeps, forms: FormCards, spec: SendSpec<S>): CardAction[] => {
  const refuse = async (data: Readonly<Record<string, unknown>>, errors: Record<string, string>, problem?: string): Promise<ActionOutcome> => ({
    replace: await forms.render(spec.form, { values: formValues(data), errors, ...(problem ? { problem } : {}) }),
    settled: 'retry',
  });

  const planOf = (value: z.output<S>): SendPlan => ({
    kind: spec.kind,
    numbers: spec.optOutNumbers?.(value) ?? [],
    confirmFirst: spec.confirmFirst(value),
    price: (client) => spec.price(client, value),
    send: (client) => spec.send(client, value),
  });

  /** `confirmData` is what the Confirm button sends back (the form's values, or a retry's send and recipients), confirmed. */
  const confirmation: Confirmation<S> = (outcome, value, confirmData, options = {}) => {
    const { priced, recipients, refused } = outcome;
    return deps.cards.render('confirm', {
      title: options.title ?? `Send this ${kindWords(spec.kind).one}?`,
      intro: refused > 0 ? `ClickSend would refuse ${refused} of ${recipients} recipients.` : `${recipients} recipient(s).`,
      facts: options.facts ?? spec.describe(value),
      price: formatMoney(priced.total_price, priced._currency),
      confirm: { title: 'Confirm and send', verb: options.verb ?? spec.verb, data: { ...confirmData, confirmed: '1' }, style: 'positive' },
      cancel: { title: 'Cancel', verb: 'form.cancel' },
    });
  };

  /** The confirmation when one is due (else undefined), or the form again when ClickSend refused the price. */
  const quote = async (value: z.output<S>, data: Readonly<Record<string, unknown>>, confirmed: boolean): Promise<ActionOutcome | undefined> => {
    try {
      const asked = await deps.sends.quote(planOf(value), confirmed);
      return asked ? { replace: confirmation(asked, value, formValues(data)), settled: 'retry' } : undefined;
    } catch (error) {
      if (error instanceof InvalidRequestError) return refuse(data, fieldErrors(error));
      // Refusals of the send itself get their own card; a price ClickSend could not give, the form again.
      if (error instanceof OptedOutError || error instanceof ClickSendNotConfiguredError) throw error;
      const described = describeError(error);
      if (!described.retry) throw error;
      return refuse(data, {}, `${described.card.title}: ${described.card.message}${described.card.code ? ` (${described.card.code})` : ''}`);
    }
  };

  const send = async (
    turn: Turn,
    plan: SendPlan,
    data: Readonly<Record<string, unknown>>,
    how: { request: Record<string, string>; retryOf?: string; detail?: string },
  ): Promise<ActionOutcome> => {
    try {
      const { send: made, accepted } = await deps.sends.send(plan, {
        place: { conversationId: turn.conversation.id, serviceUrl: turn.serviceUrl, tenantId: turn.conversation.tenantId ?? '', botId: turn.botId },
        sentBy: turn.user.name ?? 'Someone',
        confirmed: true,
        request: how.request,
        ...(how.retryOf ? { retryOf: how.retryOf } : {}),
        audit: (facts) => deps.audit.record(turn, { action: spec.verb, ...facts, ...(how.detail ? { detail: how.detail } : {}) }),
      });
      return {
        replace: deps.sendCard(made),
        // Refused for every recipient: nothing was spent, and the card may be corrected and sent again.
        settled: accepted ? 'done' : 'retry',
        shown: (activityId) => deps.sends.attachCard(made.id, activityId),
      };
    } catch (error) {
      if (error instanceof InvalidRequestError) return refuse(data, fieldErrors(error));
      throw error;
    }
  };

  /** The form parsed, then `spec.verify`'d: both refuse under the form's inputs, before anything is priced or sent. */
  const read = async (data: Readonly<Record<string, unknown>>): Promise<FormParse<z.output<S>>> => {
    const parsed = parseForm(spec.schema, data);
    if (!parsed.ok || !spec.verify) return parsed;
    try {
      await spec.verify(needClickSend(deps), parsed.value);
      return parsed;
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      return { ok: false, errors: fieldErrors(error) };
    }
  };

  const actions: CardAction[] = [
    {
      verb: spec.verb,
      once: true,
      permission: spec.permission,
      async run({ turn, data }) {
        const parsed = await read(data);
        if (!parsed.ok) return refuse(data, parsed.errors);
        return (
          (await quote(parsed.value, data, data.confirmed === '1')) ??
          send(turn, planOf(parsed.value), data, {
            request: requestOf(data),
            ...(namesList(data) ? { detail: `contact list ${String(data.list_id)}` } : {}),
          })
        );
      },
    },
  ];
  const { many } = spec;
  if (many) actions.push(createRetryAction(deps, spec, many, { confirmation, send }));
  if (spec.priceVerb) {
    actions.push({
      verb: spec.priceVerb,
      permission: spec.permission,
      async run({ data }) {
        const parsed = await read(data);
        if (!parsed.ok) return refuse(data, parsed.errors);
        // The price button always shows the price, whatever the threshold.
        return (await quote(parsed.value, data, false)) ?? refuse(data, {}, 'ClickSend could not price this send; try again.');
      },
    });
  }
  return actions;
};

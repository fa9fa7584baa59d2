import type { z } from 'zod';
import type { AdaptiveCardJson, Fact } from '../../cards/types.js';
import type { ClickSendClient } from '../../clicksend/client.js';
import { ClickSendMessagesFailedError } from '../../clicksend/errors.js';
import { formatMoney } from '../../domain/money.js';
import { ClickSendNotConfiguredError, InvalidRequestError, OptedOutError } from '../../errors.js';
import { formValues, parseForm, type FormName, type FormParse } from '../../bridge/forms.js';
import type { Turn } from '../../teams/types.js';
import type { ActionOutcome, CardAction, Permission } from '../actions/action.js';
import type { BotDeps } from '../deps.js';
import { describeError, fieldOf } from '../error-card.js';
import type { FormCards } from '../form-cards.js';
import { sendResultData, type ResultLike, type ResultRow, type SendKind } from '../present.js';

/** Any send answer: messages (SMS, MMS, voice, fax) or recipients (post). */
export interface SendAnswer {
  readonly messages?: readonly ResultRow[];
  readonly recipients?: readonly ResultRow[];
  readonly total_price: number;
  readonly _currency?: ResultLike['_currency'];
}

export const resultOf = (answer: SendAnswer): ResultLike => ({
  rows: answer.messages ?? answer.recipients ?? [],
  total_price: answer.total_price,
  _currency: answer._currency,
});

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
  /** Whether to show the price and ask first: list sends, letters, postcards. */
  readonly confirmFirst: (value: z.output<S>) => boolean;
  /** What the confirmation card says the send is. */
  readonly describe: (value: z.output<S>) => Fact[];
  readonly price: (client: ClickSendClient, value: z.output<S>) => Promise<SendAnswer>;
  readonly send: (client: ClickSendClient, value: z.output<S>) => Promise<SendAnswer>;
}

/** Whether a submission sends to a whole contact list (`list_id` given) rather than to numbers. */
export const namesList = (data: Readonly<Record<string, unknown>>): boolean => {
  const id = data.list_id;
  return typeof id === 'string' ? id.trim() !== '' : id !== undefined && id !== null;
};

export const needClickSend = (deps: BotDeps): ClickSendClient => {
  if (!deps.clicksend) throw new ClickSendNotConfiguredError();
  return deps.clicksend;
};

/**
 * The card actions of one kind of send. The form (or command) is validated first; a bad
 * input returns the form with the problem under its input and nothing spent. Sends that need
 * it are priced and confirmed; the send itself runs once per card, and its result card shows
 * every recipient with ClickSend's message id, status, parts or pages and price.
 */
export const createSendActions = <S extends z.ZodType>(deps: BotDeps, forms: FormCards, spec: SendSpec<S>): CardAction[] => {
  const refuse = async (data: Readonly<Record<string, unknown>>, errors: Record<string, string>, problem?: string): Promise<ActionOutcome> => ({
    replace: await forms.render(spec.form, { values: formValues(data), errors, ...(problem ? { problem } : {}) }),
    settled: 'retry',
  });

  const confirmation = async (value: z.output<S>, data: Readonly<Record<string, unknown>>): Promise<AdaptiveCardJson> => {
    const priced = resultOf(await spec.price(needClickSend(deps), value));
    const refused = priced.rows.filter((row) => row.status !== 'SUCCESS').length;
    return deps.cards.render('confirm', {
      title: `Send this ${spec.kind.toLowerCase()}?`,
      intro: refused > 0 ? `ClickSend would refuse ${refused} of ${priced.rows.length} recipients.` : `${priced.rows.length} recipient(s).`,
      facts: spec.describe(value),
      price: formatMoney(priced.total_price, priced._currency),
      confirm: { title: 'Confirm and send', verb: spec.verb, data: { ...formValues(data), confirmed: '1' }, style: 'positive' },
      cancel: { title: 'Cancel', verb: 'form.cancel' },
    });
  };

  const verifyNotOptedOut = async (value: z.output<S>): Promise<void> => {
    const numbers = spec.optOutNumbers?.(value) ?? [];
    const refused = (await Promise.all(numbers.map(async (n) => ((await deps.optOuts.isOptedOut(n)) ? n : undefined)))).filter(
      (n): n is string => n !== undefined,
    );
    if (refused.length > 0) throw new OptedOutError(refused);
  };

  /** Every send ClickSend accepted any of goes into the audit log, with its ids and price. */
  const audit = (turn: Turn, result: ResultLike, data: Readonly<Record<string, unknown>>): Promise<void> => {
    const accepted = result.rows.filter((row) => row.status === 'SUCCESS');
    if (accepted.length === 0) return Promise.resolve();
    return deps.audit.record(turn, {
      action: spec.verb,
      recipients: accepted.length,
      messageIds: accepted.flatMap((row) => (row.message_id ? [row.message_id] : [])),
      price: result.total_price,
      currency: result._currency?.currency_name_short,
      ...(namesList(data) ? { detail: `contact list ${String(data.list_id)}` } : {}),
    });
  };

  const send = async (turn: Turn, value: z.output<S>, data: Readonly<Record<string, unknown>>): Promise<ActionOutcome> => {
    await verifyNotOptedOut(value);
    try {
      const result = resultOf(await spec.send(needClickSend(deps), value));
      await audit(turn, result, data);
      return { replace: deps.cards.render('send-result', sendResultData(spec.kind, result)) };
    } catch (error) {
      if (error instanceof ClickSendMessagesFailedError) {
        const result = resultOf(error.result as SendAnswer);
        await audit(turn, result, data);
        const anyAccepted = result.rows.some((row) => row.status === 'SUCCESS');
        return { replace: deps.cards.render('send-result', sendResultData(spec.kind, result)), settled: anyAccepted ? 'done' : 'retry' };
      }
      if (error instanceof InvalidRequestError) {
        const errors = Object.fromEntries(error.issues.map((i) => [fieldOf(i.path) || 'form', i.message]));
        return refuse(data, errors);
      }
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
      return { ok: false, errors: Object.fromEntries(error.issues.map((i) => [fieldOf(i.path) || 'form', i.message])) };
    }
  };

  /** The confirmation, or the form again (with what was typed) when ClickSend refused the price. */
  const confirmOrRefuse = async (value: z.output<S>, data: Readonly<Record<string, unknown>>): Promise<ActionOutcome> => {
    try {
      return { replace: await confirmation(value, data), settled: 'retry' };
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        return refuse(data, Object.fromEntries(error.issues.map((i) => [fieldOf(i.path) || 'form', i.message])));
      }
      const described = describeError(error);
      if (!described.retry) throw error;
      return refuse(data, {}, `${described.card.title}: ${described.card.message}${described.card.code ? ` (${described.card.code})` : ''}`);
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
        if (spec.confirmFirst(parsed.value) && data.confirmed !== '1') {
          await verifyNotOptedOut(parsed.value);
          return confirmOrRefuse(parsed.value, data);
        }
        return send(turn, parsed.value, data);
      },
    },
  ];
  if (spec.priceVerb) {
    actions.push({
      verb: spec.priceVerb,
      permission: spec.permission,
      async run({ data }) {
        const parsed = await read(data);
        if (!parsed.ok) return refuse(data, parsed.errors);
        return confirmOrRefuse(parsed.value, data);
      },
    });
  }
  return actions;
};

import type { CardData } from '../cards/types.js';
import {
  ClickSendApiError,
  ClickSendError,
  ClickSendPartialSendError,
  ClickSendRateLimitError,
  ClickSendSchemaError,
} from '../clicksend/errors.js';
import {
  AccessDeniedError,
  ClickSendNotConfiguredError,
  FileDownloadError,
  OptedOutError,
  InvalidPhoneNumberError,
  InvalidRequestError,
  MessageLimitError,
  UsageError,
} from '../errors.js';

export interface DescribedError {
  readonly card: CardData['error'];
  /** True when nothing was done, so the user may simply try again (after fixing the input). */
  readonly retry: boolean;
}

const UNKNOWN_OUTCOME =
  'The request may have reached ClickSend. Check the ClickSend dashboard before sending it again, so that nobody gets it twice.';

/** Where an issue path such as `messages.0.body` points on a form: the input `body`. */
export const fieldOf = (path: string): string => path.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? '';

/**
 * Turns any error into the error card a Teams user sees: what went wrong in plain words, the
 * field at fault or ClickSend's own code, never a stack trace or a secret.
 */
export const describeError = (error: unknown, reference?: string): DescribedError => {
  const card = (title: string, message: string, extra: Partial<CardData['error']> = {}): CardData['error'] => ({
    title,
    message,
    details: [],
    ...(reference ? { reference } : {}),
    ...extra,
  });
  if (error instanceof InvalidRequestError) {
    const details = error.issues.map((i) => ({ field: fieldOf(i.path) || 'request', message: i.message }));
    return { retry: true, card: card('Please check what you entered', 'Nothing was sent.', { details, code: error.code }) };
  }
  if (error instanceof InvalidPhoneNumberError) {
    return { retry: true, card: card('That is not a phone number', error.message, { details: [{ field: 'to', message: error.reason }] }) };
  }
  if (error instanceof MessageLimitError) {
    return { retry: true, card: card('The message is too long', error.message, { details: [{ field: error.field, message: error.message }] }) };
  }
  if (error instanceof AccessDeniedError) {
    const variable = error.role === 'admin' ? 'ADMIN_USER_IDS' : 'SENDER_USER_IDS';
    const who = error.userId ? `your Entra object id (${error.userId})` : 'your Entra object id';
    return {
      retry: true,
      card: card(`Only ${error.role}s can do this`, `${error.message}. Nothing was done. Ask whoever runs the bridge to add ${who} to ${variable}.`, {
        code: error.code,
      }),
    };
  }
  if (error instanceof UsageError) {
    return { retry: true, card: card(error.message, error.hint ?? 'Type help to see every command.') };
  }
  if (error instanceof OptedOutError) {
    return { retry: true, card: card('Not sent: the customer opted out', error.message, { code: error.code }) };
  }
  if (error instanceof FileDownloadError) {
    return { retry: true, card: card('The file could not be used', error.message, { code: error.code }) };
  }
  if (error instanceof ClickSendNotConfiguredError) {
    return {
      retry: true,
      card: card('ClickSend is not set up yet', 'An administrator needs to set CLICKSEND_USERNAME and CLICKSEND_API_KEY for this bot.', { code: error.code }),
    };
  }
  if (error instanceof ClickSendPartialSendError) {
    return { retry: false, card: card('Only part of the send went out', `${error.unsentCount} messages were not sent. ${UNKNOWN_OUTCOME}`, { code: error.code }) };
  }
  if (error instanceof ClickSendRateLimitError) {
    return { retry: true, card: card('ClickSend is busy', 'Nothing was sent. Please try again in a minute.', { code: error.code }) };
  }
  if (error instanceof ClickSendApiError) {
    const retry = error.outcome !== 'unknown';
    const message = error.responseMsg || `ClickSend answered ${error.status}.`;
    return { retry, card: card('ClickSend refused the request', retry ? message : `${message} ${UNKNOWN_OUTCOME}`, { code: error.responseCode }) };
  }
  if (error instanceof ClickSendSchemaError) {
    return { retry: false, card: card('ClickSend answered in a way we did not expect', UNKNOWN_OUTCOME, { code: error.code }) };
  }
  if (error instanceof ClickSendError) {
    const retry = error.outcome === 'not-sent';
    return {
      retry,
      card: card('ClickSend could not be reached', retry ? 'Nothing was sent. Please try again shortly.' : UNKNOWN_OUTCOME, { code: error.code }),
    };
  }
  return { retry: false, card: card('Something went wrong', 'The bot could not finish this. The reference below helps your administrator find out why.') };
};

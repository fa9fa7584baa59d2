/** ClickSend's per-message statuses in words a Teams user can act on. */
const STATUS_TEXT: Readonly<Record<string, string>> = {
  INVALID_RECIPIENT: 'The number is not valid.',
  INSUFFICIENT_CREDIT: 'The ClickSend account has no credit left.',
  INVALID_SENDER_ID: 'The sender id is not allowed.',
  EMPTY_MESSAGE: 'The message is empty.',
  TOO_MANY_RECIPIENTS: 'Too many recipients in one request.',
  MISSING_REQUIRED_FIELDS: 'A required field is missing.',
  INVALID_SCHEDULE: 'The scheduled time is not valid.',
  NOT_ENOUGH_PERMISSION_TO_LIST_ID: 'The contact list is not available to this account.',
  INVALID_LANG: 'The language is not available.',
  INVALID_VOICE: 'The voice is not available for this language.',
  SUBJECT_REQUIRED: 'The MMS needs a subject.',
  INVALID_MEDIA_FILE: 'ClickSend cannot use this file.',
  INVALID_RETURN_ADDRESS: 'The return address does not exist.',
  ACCOUNT_NOT_ACTIVATED: 'The ClickSend account is not activated.',
  THROTTLED: 'The same message went to this recipient seconds ago.',
};

export const describeStatus = (status: string): string => STATUS_TEXT[status] ?? `ClickSend answered ${status}.`;

/** The records the sandbox keeps, in ClickSend's own field names where ClickSend shows them. */

export type MessageType = 'sms' | 'mms' | 'voice' | 'fax' | 'letter' | 'postcard';
export const MESSAGE_TYPES: readonly MessageType[] = ['sms', 'mms', 'voice', 'fax', 'letter', 'postcard'];

/** Where an accepted message is in its life (`sent`: a call placed, waiting for its outcome). */
export type Delivery = 'scheduled' | 'queued' | 'sent' | 'delivered' | 'failed' | 'cancelled';

export interface SentMessage {
  readonly type: MessageType;
  readonly username: string;
  readonly messageId: string;
  /** The message exactly as the send call answered it. */
  readonly record: Readonly<Record<string, unknown>>;
  /** E.164 number, or the addressee's name for post. */
  readonly to: string;
  readonly from: string | null;
  readonly body: string | null;
  readonly customString: string | null;
  /** Unix seconds the call was made. */
  readonly sentAt: number;
  /** Unix seconds the message is due (the schedule, or `sentAt`). */
  readonly dueAt: number;
  delivery: Delivery;
}

export interface ListRecord {
  list_id: number;
  list_name: string;
  list_email_id: string;
  _import_in_progress: number;
  _optout_in_progress: number;
}

export interface ContactRecord {
  contact_id: number;
  list_id: number;
  phone_number: string | null;
  first_name: string;
  last_name: string;
  custom_1: string;
  custom_2: string;
  custom_3: string;
  custom_4: string;
  date_added: number;
  date_updated: number;
  fax_number: string | null;
  organization_name: string | null;
  email: string | null;
  address_line_1: string | null;
  address_line_2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_postal_code: string | null;
  address_country: string | null;
}

export interface ReturnAddressRecord {
  return_address_id: number;
  user_id: number;
  address_name: string;
  address_line_1: string;
  address_line_2: string;
  address_city: string;
  address_state: string;
  address_postal_code: string;
  address_country: string;
}

export interface UploadRecord {
  readonly upload_id: number;
  readonly file_name: string;
  readonly date_added: number;
  readonly date_delete: number;
  readonly user_id: number;
  readonly _url: string;
  readonly convert: string;
  readonly bytes: Buffer;
}

export type WebhookType = 'post' | 'get' | 'json';

export interface InboundRuleRecord {
  inbound_rule_id: number;
  dedicated_number: string;
  rule_name: string;
  message_search_type: number;
  message_search_term: string | null;
  action: string;
  action_address: string;
  body: string | null;
  enabled: number;
  webhook_type: WebhookType;
}

/** An SMS or a voice delivery-receipt rule: ClickSend gives both the same fields. */
export interface ReceiptRuleRecord {
  receipt_rule_id: number;
  rule_name: string;
  match_type: number;
  action: string;
  action_address: string;
  enabled: number;
  /** Not in ClickSend's receipt-rule schema; accepted so tests can ask for JSON receipts. */
  webhook_type?: WebhookType;
}

export interface InboundMessage {
  readonly message_id: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly timestamp: number;
  readonly original_message_id: string;
  readonly original_body: string;
  readonly custom_string: string;
  readonly user_id: number;
  readonly subaccount_id: number;
}

export interface PushRecord {
  readonly id: number;
  readonly kind: 'inbound' | 'receipt' | 'voice_receipt';
  readonly ruleId: number;
  readonly messageId: string;
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly contentType: string | null;
  /** The exact bytes sent (empty for GET, whose fields travel in `url`). */
  readonly body: string;
  readonly payload: Readonly<Record<string, string | number | null>>;
  readonly startedAt: number;
  finishedAt: number | null;
  /** The receiver's HTTP status, once answered. */
  status: number | null;
  /** Why the push failed (network error, timeout, abort), if it did. */
  error: string | null;
}

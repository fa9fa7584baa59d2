/**
 * The data each Adaptive Card template in `cards/` is expanded with: one entry per card, the
 * key being the template's file name. Every value that came from a user or from ClickSend is
 * data, never template: the renderer inserts it literally.
 */

/** An action button: Action.Execute with this `verb`; `data` travels back with the inputs. */
export interface CardButton {
  readonly title: string;
  readonly verb: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /** `positive` for the main action (Confirm, Send), `destructive` for deletes. */
  readonly style?: 'default' | 'positive' | 'destructive';
}

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface Choice {
  readonly title: string;
  readonly value: string;
}

/** What every form card takes: the values typed so far, and the server's verdict per input id. */
export interface FormData {
  /** Input id -> value to show (a resubmitted form keeps what the user typed). */
  readonly values: Readonly<Record<string, string>>;
  /** Input id -> why the server refused it; shown under that input. */
  readonly errors: Readonly<Record<string, string>>;
  /** A refusal that belongs to no single input (e.g. ClickSend's own error). */
  readonly problem?: string;
}

export interface ContactListChoiceData {
  /** Contact lists to send to instead of a number (`list_id` choice set); may be empty. */
  readonly lists: readonly Choice[];
}

export interface CardData {
  welcome: { readonly scope: 'personal' | 'team' | 'groupChat'; readonly helpButton: CardButton };
  help: {
    readonly commands: readonly { readonly usage: string; readonly summary: string; readonly button?: CardButton }[];
    readonly defaultCountry: string;
  };
  error: {
    readonly title: string;
    readonly message: string;
    /** Field-level problems: the ClickSend parameter name and what is wrong with it. */
    readonly details: readonly { readonly field: string; readonly message: string }[];
    /** ClickSend's `response_code` / our error code, when there is one. */
    readonly code?: string;
    /** Correlation id for the logs (the activity id); never a secret. */
    readonly reference?: string;
  };
  'sms-form': FormData & ContactListChoiceData & { readonly defaultCountry: string };
  'mms-form': FormData & ContactListChoiceData & { readonly defaultCountry: string };
  'voice-form': FormData &
    ContactListChoiceData & {
      readonly defaultCountry: string;
      /** ClickSend's voice languages, e.g. `{title: 'English (US)', value: 'en-us'}`. */
      readonly languages: readonly Choice[];
    };
  'fax-form': FormData & ContactListChoiceData & { readonly defaultCountry: string };
  'letter-form': FormData & { readonly returnAddresses: readonly Choice[] };
  'postcard-form': FormData & { readonly returnAddresses: readonly Choice[] };
  'list-form': FormData;
  'contact-form': FormData & ContactListChoiceData;
  confirm: {
    readonly title: string;
    readonly intro: string;
    readonly facts: readonly Fact[];
    /** e.g. `A$ 1.99` — already formatted with the currency. */
    readonly price?: string;
    readonly confirm: CardButton;
    readonly cancel: CardButton;
  };
  'send-result': {
    /** e.g. `SMS sent`, `2 of 3 SMS sent`, `Letter posted`. */
    readonly title: string;
    /** `parts` for SMS/MMS/voice, `pages` for fax and post. */
    readonly unitLabel: 'parts' | 'pages';
    /** Counts per delivery status, kept current by receipts (or why there are none). */
    readonly summary?: string;
    /** Said when the card shows only the first recipients. */
    readonly more?: string;
    /** Said when the card lists only the first failures. */
    readonly moreFailures?: string;
    /** A link to the CSV of every recipient (signed, for an hour), when the card does not show them all. */
    readonly download?: string;
    /** Sends the failed recipients again, after a confirmation. */
    readonly retry?: CardButton;
    readonly rows: readonly {
      readonly recipient: string;
      readonly messageId: string;
      readonly status: string;
      readonly ok: boolean;
      readonly units: string;
      readonly price: string;
    }[];
    readonly totals: { readonly count: string; readonly accepted: string; readonly price: string };
    /** Refused recipients with ClickSend's own `response_code`/message. */
    readonly failures: readonly { readonly recipient: string; readonly code: string; readonly message: string }[];
  };
  lists: {
    readonly title: string;
    readonly rows: readonly { readonly listId: string; readonly name: string; readonly contacts: string; readonly open: CardButton }[];
    readonly pageText: string;
    readonly previous?: CardButton;
    readonly next?: CardButton;
    readonly newList: CardButton;
  };
  contacts: {
    readonly title: string;
    readonly rows: readonly {
      readonly contactId: string;
      readonly name: string;
      readonly phone: string;
      readonly email: string;
      readonly remove: CardButton;
    }[];
    readonly pageText: string;
    readonly previous?: CardButton;
    readonly next?: CardButton;
    readonly addContact: CardButton;
  };
  done: {
    readonly title: string;
    readonly message: string;
    readonly facts: readonly Fact[];
    readonly buttons: readonly CardButton[];
  };
  /** One inbound SMS, or several of one customer as one digest card when a thread fell behind. */
  'inbound-sms': {
    /** The customer's number, and their name when a contact list knows it. */
    readonly customer: string;
    readonly contactName?: string;
    readonly ourNumber: string;
    /** Oldest first; `time` is RFC 3339 to the second (`2026-11-28T03:15:00Z`): the card shows it in the reader's local time. */
    readonly messages: readonly { readonly text: string; readonly time: string }[];
    /** What we had sent that this replies to (`original_body`). */
    readonly quote?: string;
    /** Set while the customer is opted out: a mark at the top, and no Reply box (`reply` absent). */
    readonly optedOut?: true;
    /** Said when the customer opted out (`attention`) or back in (`good`) with this text. */
    readonly notice?: { readonly text: string; readonly color: 'good' | 'attention' };
    /** The thread rule, on the first card of a customer's thread. */
    readonly rule?: string;
    /** Said when this card may repeat one posted before (the bridge lost Teams' answer to it). */
    readonly repeatNote?: string;
    /** Sends the Reply input (`body`) to the customer from `ourNumber`; absent (no Reply box) while they are opted out. */
    readonly reply?: CardButton;
  };
  /** Our reply in a thread, its delivery status kept up to date by receipts. */
  'outbound-sms': {
    readonly customer: string;
    readonly ourNumber: string;
    readonly text: string;
    readonly sentBy: string;
    /** `Queued`, `Sent`, `Delivered` or `Failed`. */
    readonly status: string;
    /** `good` for delivered, `attention` for failed, `default` otherwise. */
    readonly statusColor: 'good' | 'attention' | 'default';
    /** ClickSend's error text for a failure. */
    readonly detail?: string;
    /** Said when this card may repeat one posted before (the bridge lost Teams' answer to it). */
    readonly repeatNote?: string;
    /** Its SMS parts and price, e.g. `1 part · $0.0792 AUD`. */
    readonly cost?: string;
    readonly messageId: string;
  };
  /** `links`: the numbers linked to this team's channels, and deliveries that could not be made. */
  links: {
    readonly rows: readonly { readonly number: string; readonly channel: string; readonly problem?: string }[];
    readonly note: string;
  };
  /** `audit`: what was spent and changed in the last days, with the newest entries (the CSV has all). */
  audit: {
    readonly title: string;
    readonly summary: string;
    readonly totals: readonly Fact[];
    readonly rows: readonly { readonly at: string; readonly who: string; readonly action: string; readonly recipients: string; readonly price: string }[];
    readonly note: string;
    /** A link to the whole CSV (signed, for an hour), when the bridge has a public URL. */
    readonly download?: string;
  };
}

export type CardName = keyof CardData;

/** An Adaptive Card as JSON (what the renderer returns and Teams receives). */
export type AdaptiveCardJson = { readonly type: 'AdaptiveCard'; readonly version: string } & Readonly<Record<string, unknown>>;

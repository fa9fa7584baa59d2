/**
 * What the bridge's modules report to the metrics, in their own words. Each module takes only
 * its slice (`deps.metrics`), which defaults to the no-op below: the sandbox, the benchmarks
 * and unit tests build modules without a registry, and this file imports nothing so that they
 * do not load prom-client either.
 */

export type WebhookKind = 'inbound' | 'receipt';

/**
 * The webhooks' refusals are counted per route; voice receipts, once accepted, are receipts like
 * any other (the relay applies both alike), so they have a kind of their own only here.
 */
export type WebhookRefusalKind = WebhookKind | 'voice_receipt';

/** What became of an accepted push: a new SMS, a repeated `message_id`, a receipt applied or not ours. */
export type WebhookOutcome = 'stored' | 'duplicate' | 'applied' | 'not_ours';

export interface WebhookMetrics {
  accepted(kind: WebhookKind, outcome: WebhookOutcome): void;
  /** A push answered with an error status (401, 400, 413, 503, ...). */
  rejected(kind: WebhookRefusalKind, status: number): void;
}

export type TeamsOperation = 'createThread' | 'post' | 'update';

/** `throttled` is a 429; `retry` any other refusal or failure the outbox tries again; `refused` is for good. */
export type TeamsOutcome = 'ok' | 'throttled' | 'retry' | 'refused';

export interface TeamsMetrics {
  /** One proactive Teams call and how long it took. */
  call(operation: TeamsOperation, outcome: TeamsOutcome, seconds: number): void;
}

/** The kinds of send ClickSend offers, one label value each. */
export type SendChannel = 'sms' | 'mms' | 'voice' | 'fax' | 'letter' | 'postcard';

export interface ClickSendMetrics {
  /**
   * One HTTP exchange with ClickSend. `operation` is the client's stable name (`sms.send`), never
   * a path with ids; `result` is `ok`, `invalid_response`, `http_429`, `http_4xx`, `http_5xx`, or
   * the error code of a request that got no answer (`UND_ERR_HEADERS_TIMEOUT`, `ECONNREFUSED`).
   */
  call(operation: string, result: string): void;
  /** The messages of one send request, as ClickSend answered for each of them. */
  sent(channel: SendChannel, accepted: number, refused: number): void;
}

export const noWebhookMetrics: WebhookMetrics = { accepted() {}, rejected() {} };
export const noTeamsMetrics: TeamsMetrics = { call() {} };
export const noClickSendMetrics: ClickSendMetrics = { call() {}, sent() {} };

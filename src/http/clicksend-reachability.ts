/**
 * ClickSend's reachability as /readyz reports it. It never fails readiness (`ok` is always
 * true): inbound SMS are stored and posted to Teams without ClickSend, and an outage of
 * ClickSend must not take every instance out of the load balancer at once.
 */
export interface ClickSendCheck {
  readonly ok: true;
  /** Whether ClickSend answered the last exchange (with anything but a 5xx); null before any. */
  readonly reachable: boolean | null;
  /** When that exchange ended. */
  readonly checkedAt: string | null;
  readonly reason?: string;
}

export interface ClickSendReachabilityOptions {
  /** After this long without an exchange, the next report starts a check (60 s). */
  readonly staleMs?: number;
  readonly now?: () => Date;
}

export interface ClickSendReachability {
  /** The ClickSend client's metrics hook: one exchange and its `result` label. */
  record(operation: string, result: string): void;
  /**
   * The last exchange's outcome. When it is older than `staleMs` (or there was none), `check`
   * is started in the background, at most once per `staleMs`; its exchange is recorded as any.
   */
  report(check?: () => Promise<unknown>): ClickSendCheck;
}

const NOT_CONFIGURED: ClickSendCheck = {
  ok: true,
  reachable: null,
  checkedAt: null,
  reason: 'CLICKSEND_USERNAME and CLICKSEND_API_KEY are not set',
};

/** `ok`, `invalid_response` and `http_4xx`/`http_429` are answers; `http_5xx` and error codes are not. */
const isAnswer = (result: string): boolean => result === 'ok' || result === 'invalid_response' || /^http_(?!5)/.test(result);

export const createClickSendReachability = (options: ClickSendReachabilityOptions = {}): ClickSendReachability => {
  const staleMs = options.staleMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  let last: { at: Date; operation: string; result: string } | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;

  return {
    record(operation, result) {
      last = { at: now(), operation, result };
    },
    report(check) {
      if (!check) return NOT_CONFIGURED;
      const at = now().getTime();
      if ((!last || at - last.at.getTime() >= staleMs) && at - checkedAt >= staleMs) {
        checkedAt = at;
        // Its outcome arrives through `record`; the client has logged a failure already.
        check().catch(() => undefined);
      }
      if (!last) return { ok: true, reachable: null, checkedAt: null, reason: 'no call to ClickSend yet; checking' };
      const reachable = isAnswer(last.result);
      return {
        ok: true,
        reachable,
        checkedAt: last.at.toISOString(),
        ...(reachable ? {} : { reason: `the last call to ClickSend (${last.operation}) failed: ${last.result}` }),
      };
    },
  };
};

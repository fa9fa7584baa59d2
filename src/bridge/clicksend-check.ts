import type { ClickSendClient } from '../clicksend/client.js';
import type { Logger } from '../log.js';
import { ensureWebhookRules } from './webhook-registration.js';

export interface ClickSendCheckDeps {
  readonly clicksend: ClickSendClient | undefined;
  /** With both, ClickSend's inbound and receipt rules are pointed at this bridge's webhooks. */
  readonly publicUrl: string | undefined;
  readonly webhookToken: string | undefined;
  readonly logger: Logger;
}

/**
 * What the bridge checks with ClickSend at start: that its webhook rules point here and that
 * the credentials work (logging the balance), so that an operator sees a wrong key at start
 * rather than at the first send. Never throws: each problem is one log line.
 */
export const checkClickSend = async (deps: ClickSendCheckDeps): Promise<void> => {
  const { clicksend, logger } = deps;
  const log = logger.child({ module: 'app' });
  if (!clicksend) {
    log.warn('CLICKSEND_USERNAME and CLICKSEND_API_KEY are not set: nothing can be sent');
    return;
  }
  if (deps.publicUrl && deps.webhookToken) {
    await ensureWebhookRules(clicksend, { publicUrl: deps.publicUrl, token: deps.webhookToken }, logger).catch((error: unknown) =>
      log.error({ code: (error as { code?: string }).code }, 'could not register the clicksend webhook rules'),
    );
  }
  try {
    const check = await clicksend.account.verifyCredentials();
    if (check.ok) {
      log.info({ balance: check.account.balance, currency: check.account._currency?.currency_name_short }, 'clicksend credentials accepted');
    } else {
      log.error({ reason: check.reason, responseCode: check.error.responseCode }, 'clicksend refused the credentials');
    }
  } catch (error) {
    log.warn({ code: (error as { code?: string }).code }, 'clicksend could not be reached to check the credentials');
  }
};

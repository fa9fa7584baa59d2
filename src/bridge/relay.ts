import { maskPhoneNumber } from '../domain/phone.js';
import type { Logger } from '../log.js';
import { noWebhookMetrics, type WebhookMetrics } from '../metrics/instruments.js';
import type { DeliveryReceipt, InboundSms, RelayStore } from '../store/relay.js';
import type { SendStore } from '../store/sends.js';
import { optIntentOf } from './opt-out.js';

export interface RelayDeps {
  readonly store: RelayStore & Pick<SendStore, 'applySendReceipt'>;
  readonly logger: Logger;
  /** Tells the delivery worker there is new work (it also polls). */
  readonly wake?: () => void;
  readonly metrics?: WebhookMetrics;
}

/**
 * What ClickSend's pushes do to the bridge: an inbound SMS is stored once with its outbox row
 * (the worker posts it to Teams later; the webhook never waits for Teams), STOP and START
 * change the customer's opt-out, and a receipt moves our message's status.
 */
export const createRelay = (deps: RelayDeps) => {
  const log = deps.logger.child({ module: 'relay' });
  const metrics = deps.metrics ?? noWebhookMetrics;
  return {
    async acceptInbound(sms: InboundSms): Promise<'stored' | 'duplicate'> {
      // The opt-out goes first: if we crashed after storing the SMS, ClickSend's repeat would be
      // a duplicate and the STOP would be lost. Applying it twice is harmless (the store keeps
      // the newest by the customer's send time).
      const intent = optIntentOf(sms.body);
      if (intent) await deps.store.setOptOut(sms.from, intent === 'opt-out', sms.sentAt);
      const outcome = await deps.store.acceptInbound(sms);
      metrics.accepted('inbound', outcome);
      if (outcome === 'duplicate') {
        log.info({ messageId: sms.messageId }, 'inbound sms already stored');
        return outcome;
      }
      log.info({ messageId: sms.messageId, from: maskPhoneNumber(sms.from), optIntent: intent }, 'inbound sms stored');
      deps.wake?.();
      return outcome;
    },
    async acceptReceipt(receipt: DeliveryReceipt): Promise<boolean> {
      // A thread reply's status card, or the result card of a command or form send.
      const ours = (await deps.store.applyReceipt(receipt)) || (await deps.store.applySendReceipt(receipt));
      metrics.accepted('receipt', ours ? 'applied' : 'not_ours');
      log.info({ messageId: receipt.messageId, status: receipt.status, ours }, 'delivery receipt');
      if (ours) deps.wake?.();
      return ours;
    },
  };
};
export type Relay = ReturnType<typeof createRelay>;

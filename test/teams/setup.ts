import { afterEach, expect, vi } from 'vitest';
import type { CloudAdapter } from 'botbuilder';
import type { AdaptiveCardJson } from '../../src/cards/types.js';
import { TeamsDeliveryError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { createAdapter } from '../../src/teams/adapter.js';
import { createTeamsGateway } from '../../src/teams/gateway.js';
import type { ConversationTarget, TeamsGateway } from '../../src/teams/types.js';
import { startFakeConnector, type FakeConnector } from '../helpers/fake-connector.js';

export const CHANNEL_ID = '19:sales@thread.tacv2';
export const card: AdaptiveCardJson = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'SMS from +61411111111' }] };

export interface GatewaySetup {
  readonly connector: FakeConnector;
  readonly adapter: CloudAdapter;
  readonly gateway: TeamsGateway;
  readonly channel: ConversationTarget;
  readonly onTurnError: ReturnType<typeof vi.fn>;
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/** Runs `stop` after the current test. */
export const afterTest = (stop: () => Promise<void>): void => {
  stops.push(stop);
};

/** The gateway on the production adapter (no app id: no tokens) against a fake Bot Connector. */
export const setup = async (options: { timeoutMs?: number } = {}): Promise<GatewaySetup> => {
  const connector = await startFakeConnector();
  afterTest(() => connector.close());
  const adapter = createAdapter({ appId: undefined, appPassword: undefined, appType: 'MultiTenant', tenantId: undefined });
  const onTurnError = vi.fn(async () => {});
  adapter.onTurnError = onTurnError;
  const gateway = createTeamsGateway({ adapter, appId: undefined, logger: silentLogger, ...options });
  const channel = { conversationId: CHANNEL_ID, serviceUrl: connector.url, tenantId: 'tenant-1', botId: '28:bot-1' };
  return { connector, adapter, gateway, channel, onTurnError };
};

/** The `TeamsDeliveryError` a call failed with. */
export const failure = async (promise: Promise<unknown>): Promise<TeamsDeliveryError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TeamsDeliveryError);
  return error as TeamsDeliveryError;
};

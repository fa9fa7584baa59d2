import { Agent } from 'undici';
import { afterEach } from 'vitest';
import { createClickSendClient, type ClickSendClient, type ClickSendClientOptions } from '../../src/clicksend/client.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';

export interface SandboxClient {
  readonly sandbox: Sandbox;
  readonly client: ClickSendClient;
  readonly dispatcher: Agent;
}

const open: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

/**
 * A real sandbox on a loopback port and our client pointed at it over real HTTP. Both are
 * closed after the test.
 */
export const startSandboxClient = async (
  options: { sandbox?: SandboxOptions; client?: Partial<ClickSendClientOptions> } = {},
): Promise<SandboxClient> => {
  const sandbox = await createSandbox(options.sandbox);
  const dispatcher = new Agent({ connect: { timeout: 2_000 } });
  const client = createClickSendClient(
    { baseUrl: sandbox.apiUrl, credentials: sandbox.credentials, rateLimit: false, ...options.client },
    { dispatcher },
  );
  open.push(async () => {
    await dispatcher.close();
    await sandbox.close();
  });
  return { sandbox, client, dispatcher };
};

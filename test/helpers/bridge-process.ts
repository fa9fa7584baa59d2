import type { Sandbox } from '../../src/sandbox/server.js';
import { TEST_WEBHOOK_TOKEN } from './bridge.js';
import { freePort, START_ARGS, startProcess, type RunningProcess } from './process.js';

export interface BridgeProcess {
  /** Where it listens, also its PUBLIC_URL. */
  readonly url: string;
  readonly process: RunningProcess;
  /** SIGKILL: no shutdown, no flush; resolves once it is gone. */
  kill(): Promise<void>;
}

/**
 * The bridge as `npm start` runs it (the bundle: build first), with webhooks on, ClickSend
 * pointed at the sandbox and `DATABASE_URL` as given; resolves once it listens.
 */
export const startBridgeProcess = async (options: { databaseUrl: string; sandbox: Sandbox; port?: number }): Promise<BridgeProcess> => {
  // The same port as a killed process: the same instance starting again.
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const bridge = startProcess([...START_ARGS], {
    PORT: String(port),
    PUBLIC_URL: url,
    WEBHOOK_TOKEN: TEST_WEBHOOK_TOKEN,
    DATABASE_URL: options.databaseUrl,
    CLICKSEND_API_URL: options.sandbox.apiUrl,
    CLICKSEND_USERNAME: options.sandbox.credentials.username,
    CLICKSEND_API_KEY: options.sandbox.credentials.apiKey,
    CLICKSEND_RATE_LIMIT: '1000/1s',
    LOG_LEVEL: 'info',
  });
  await bridge.waitFor(/bridge started/);
  return {
    url,
    process: bridge,
    async kill() {
      bridge.child.kill('SIGKILL');
      await bridge.exited();
    },
  };
};

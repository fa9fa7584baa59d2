/**
 * Runs the ClickSend sandbox on its own: `node dist/sandbox/main.js`. A separate entry point
 * from the bot, so it reads its one setting (`SANDBOX_PORT`, default 4010) itself.
 */
import { createSandbox } from './server.js';

const DEFAULT_PORT = 4010;

const portFrom = (value: string | undefined): number => {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`set SANDBOX_PORT to a port number between 0 and 65535 (got "${value}")`);
  }
  return port;
};

const main = async (): Promise<void> => {
  const sandbox = await createSandbox({ port: portFrom(process.env.SANDBOX_PORT) });
  const { username, apiKey } = sandbox.credentials;
  const lines = [
    `ClickSend sandbox listening on ${sandbox.url}`,
    `  CLICKSEND_API_URL=${sandbox.apiUrl}`,
    `  CLICKSEND_USERNAME=${username}`,
    `  CLICKSEND_API_KEY=${apiKey}`,
    `  dedicated numbers: ${sandbox.dedicatedNumbers.join(', ')}`,
    '',
    'A customer texts our number:',
    `  curl -s -X POST ${sandbox.url}/_sandbox/inbound -H 'content-type: application/json' \\`,
    `    -d '{"from":"+61411111111","body":"Hello from a customer"}'`,
    `Sent messages: ${sandbox.url}/_sandbox/messages   pushes: ${sandbox.url}/_sandbox/pushes`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { randomBytes } from 'node:crypto';
import { createApp } from './app.js';
import { secretsOf } from './config-describe.js';
import { loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';
import { startPlayground } from './dev/playground.js';
import { createSandbox } from './sandbox/server.js';

/**
 * `npm run dev`: the bridge on loopback against the local ClickSend sandbox, with no account
 * of any kind. Whatever `.env` says about ClickSend is replaced by the sandbox.
 */
const SANDBOX_PORT = 4010;
/** The playground's usual port; when it is taken the playground picks another and says which. */
const PLAYGROUND_PORT = 56150;

const main = async (): Promise<void> => {
  const base = loadConfig();
  const sandbox = await createSandbox({ port: SANDBOX_PORT, host: '127.0.0.1' });
  const config: Config = {
    ...base,
    host: '127.0.0.1',
    clicksend: { ...base.clicksend, apiUrl: sandbox.apiUrl, credentials: sandbox.credentials },
    webhookToken: base.webhookToken ?? randomBytes(32).toString('hex'),
    publicUrl: `http://127.0.0.1:${base.port}`,
    // The playground sends no tokens and its connector wants none.
    bot: { ...base.bot, appId: undefined, appPassword: undefined },
  };
  const logger = createLogger({ level: base.logLevel, secrets: secretsOf(config) });
  const app = await createApp(config, { logger });
  const { url } = await app.listen();
  await app.checkClickSend();
  const playground = await startPlayground({
    botEndpoint: `${url}/api/messages`,
    port: PLAYGROUND_PORT,
    logFile: 'devTools/m365agentsplayground.log',
    conversationId: 'dev-personal-chat',
    logger,
  });

  const ourNumber = sandbox.dedicatedNumbers[0] ?? '+61480000000';
  process.stdout.write(
    [
      '',
      'ClickSend Teams bridge: local development',
      `  bridge            ${url}`,
      `  ClickSend sandbox ${sandbox.apiUrl}  (user ${sandbox.credentials.username})`,
      `  our number        ${ourNumber}`,
      `  Teams (local)     ${playground.url}  (Microsoft 365 Agents Playground: open it in a browser)`,
      '',
      'Try it:',
      `  curl ${url}/healthz`,
      `  curl -u ${sandbox.credentials.username}:${sandbox.credentials.apiKey} ${sandbox.apiUrl}/account`,
      `  curl -X POST ${sandbox.url}/_sandbox/inbound -H 'content-type: application/json' \\`,
      `       -d '{"from":"+61411111111","to":"${ourNumber}","body":"Hello from a customer"}'`,
      `  curl ${sandbox.url}/_sandbox/messages     # everything the bridge sent`,
      '',
      'In the playground: type help in the personal chat; in the team channel, @mention the bot and type',
      `link ${ourNumber}, then text that number with the curl line above: the SMS arrives as a thread.`,
      '',
      'Ctrl-C stops all three.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    void Promise.allSettled([playground.close(), app.close(2_000), sandbox.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(`npm run dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

// The ClickSend sandbox in its own process, so that the client under test owns its CPU.
import { createSandbox } from '../dist/sandbox/server.js';

const sandbox = await createSandbox({ port: 0, receiptDelayMs: 60_000 });
process.send?.({ apiUrl: sandbox.apiUrl, credentials: sandbox.credentials });
process.on('message', async (message) => {
  if (message === 'stop') {
    await sandbox.close();
    process.exit(0);
  }
});

// The ceiling of the ingest benchmark: the bridge's own restify server (same factory, same
// /readyz) with a webhook route that reads the body and answers 200 {"ok":true}, storing and
// checking nothing. Started like the bridge, with PORT in the environment.
import { createHttpServer } from '../../dist/http/server.js';
import { silentLogger } from '../../dist/log.js';

const server = createHttpServer({ logger: silentLogger, isReady: async () => true });
server.post('/webhooks/clicksend/inbound', async (req, res) => {
  for await (const _chunk of req);
  res.send(200, { ok: true });
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// One client of the ClickSend client benchmark, in its own process so that process.cpuUsage()
// counts that client alone: `ours` (the bridge's client), `sdk` (the official clicksend npm SDK)
// or `bare` (an undici Pool request, no validation: the floor). The parent sends
// { kind: 'run', requests, concurrency } and gets { rps, cpuMsPer1000 } back, or
// { kind: 'bulk', recipients } for one send to that many recipients.
import { createRequire } from 'node:module';
import { Pool } from 'undici';
import { createClickSendClient, createClickSendDispatcher } from '../../dist/clicksend/client.js';

const require = createRequire(import.meta.url);
const which = process.argv[2];
const { apiUrl, credentials, concurrency } = JSON.parse(process.argv[3]);
const origin = new URL(apiUrl).origin;

const message = (i) => ({ to: '+61411111111', body: `Order ${i} is ready for pickup`, custom_string: `bench-${i}` });

const makeSend = () => {
  switch (which) {
    case 'ours': {
      const client = createClickSendClient(
        { baseUrl: apiUrl, credentials, rateLimit: false },
        { dispatcher: createClickSendDispatcher({ connections: concurrency }) },
      );
      return (messages) => client.sms.send(messages);
    }
    case 'sdk': {
      const api = require('clicksend');
      const sms = new api.SMSApi(credentials.username, credentials.apiKey);
      sms.basePath = apiUrl;
      return async (messages) => {
        const collection = new api.SmsMessageCollection();
        collection.messages = messages.map((m) => Object.assign(new api.SmsMessage(), m, { source: 'bench' }));
        try {
          return (await sms.smsSendPost(collection)).body;
        } catch (error) {
          // The SDK rejects with { response, body } on a non-2xx answer.
          throw new Error(`HTTP ${error?.response?.statusCode} ${error?.body?.response_code ?? error?.message ?? ''}`);
        }
      };
    }
    case 'bare': {
      const pool = new Pool(origin, { connections: concurrency });
      const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.apiKey}`).toString('base64')}`;
      const path = `${new URL(apiUrl).pathname}/sms/send`;
      return async (messages) => {
        const res = await pool.request({
          path,
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ messages: messages.map((m) => ({ ...m, source: 'bench' })) }),
        });
        return res.body.text();
      };
    }
    default:
      throw new Error(`unknown client ${which}`);
  }
};
const send = makeSend();

const run = async (requests) => {
  let next = 0;
  const worker = async () => {
    while (next < requests) await send([message(next++)]);
  };
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rps: requests / seconds, cpuMsPer1000: ((used.user + used.system) / 1000 / requests) * 1000 };
};

process.on('message', async (job) => {
  try {
    if (job.kind === 'run') process.send({ ok: true, ...(await run(job.requests)) });
    else if (job.kind === 'bulk') {
      const recipients = Array.from({ length: job.recipients }, (_, i) => ({ ...message(i), to: `+614${String(10_000_000 + i).padStart(8, '0')}` }));
      const result = await send(recipients);
      const parsed = typeof result === 'string' ? JSON.parse(result) : result;
      const count = parsed.data?.total_count ?? parsed.total_count;
      process.send({ ok: true, accepted: count });
    } else if (job.kind === 'stop') process.exit(0);
  } catch (error) {
    process.send({ ok: false, error: String(error?.message ?? error) });
  }
});
process.send({ ready: true });

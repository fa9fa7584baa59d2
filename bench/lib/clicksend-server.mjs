// A ClickSend-shaped server for the client benchmark, in its own process: POST /v3/sms/send
// answers ClickSend's envelope with one record per message (as the sandbox and ClickSend do),
// refuses more than 1,000 messages a request (TOO_MANY_RECIPIENTS, 400), and counts requests.
// It validates nothing else, so that the clients, not the server, set the pace.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const MAX_MESSAGES = 1000;
const CURRENCY = {
  currency_name_short: 'AUD',
  currency_prefix_d: '$',
  currency_prefix_c: 'c',
  currency_name_long: 'Australian Dollars',
  min_recharge_amount: '20.00',
  max_recharge_amount: '10000.00',
};
let requests = 0;
let messages = 0;

const record = (message, now) => ({
  direction: 'out',
  date: String(now),
  to: message.to,
  body: message.body,
  from: '+61480000000',
  schedule: now,
  message_id: randomUUID().toUpperCase(),
  message_parts: 1,
  message_price: '0.0792',
  from_email: null,
  list_id: null,
  custom_string: message.custom_string ?? '',
  contact_id: null,
  user_id: 304497,
  subaccount_id: 745158,
  is_shared_system_number: false,
  country: 'AU',
  carrier: 'Telstra',
  status: 'SUCCESS',
});

const answer = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  requests += 1;
  if (req.method !== 'POST' || req.url !== '/v3/sms/send') return answer(res, 404, { http_code: 404, response_code: 'NOT_FOUND', response_msg: 'Not found.', data: null });
  const list = JSON.parse(Buffer.concat(chunks).toString('utf8')).messages ?? [];
  if (list.length > MAX_MESSAGES) {
    return answer(res, 400, { http_code: 400, response_code: 'TOO_MANY_RECIPIENTS', response_msg: `Too many recipients: ${list.length} given, at most ${MAX_MESSAGES} per call.`, data: null });
  }
  messages += list.length;
  const now = Math.floor(Date.now() / 1000);
  const records = list.map((m) => record(m, now));
  answer(res, 200, {
    http_code: 200,
    response_code: 'SUCCESS',
    response_msg: 'Messages queued for delivery.',
    data: {
      total_price: Math.round(records.length * 0.0792 * 1e4) / 1e4,
      total_count: records.length,
      queued_count: records.length,
      messages: records,
      _currency: CURRENCY,
      blocked_count: 0,
    },
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send({ apiUrl: `http://127.0.0.1:${server.address().port}/v3`, credentials: { username: 'bench', apiKey: 'BENCH-API-KEY-0000' } });
});
process.on('message', (message) => {
  if (message === 'stats') process.send({ requests, messages });
  if (message === 'stop') server.close(() => process.exit(0));
});

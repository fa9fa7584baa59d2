// The ClickSend client benchmark's noise-free companion: the CPU our client spends per request
// on top of what the floor does, measured in one process on a fake dispatcher that answers at
// once with the record the benchmark's server sends (no sockets, no server, no other process).
// CPU time (process.cpuUsage) of 30,000 sends, best of 7 interleaved repetitions.
//   node bench/lib/clicksend-client-inprocess.mjs [another checkout's dist/ ...]
// With no argument it measures this checkout's dist/; run `npx tsc -b` first.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dists = process.argv.length > 2 ? process.argv.slice(2) : [new URL('../../dist', import.meta.url).pathname];
const now = Math.floor(Date.now() / 1000);
const answer = JSON.stringify({
  http_code: 200,
  response_code: 'SUCCESS',
  response_msg: 'Messages queued for delivery.',
  data: {
    total_price: 0.0792,
    total_count: 1,
    queued_count: 1,
    messages: [{ direction: 'out', date: String(now), to: '+61411111111', body: 'Order 1 is ready for pickup', from: '+61480000000', schedule: now,
      message_id: randomUUID().toUpperCase(), message_parts: 1, message_price: '0.0792', from_email: null, list_id: null, custom_string: 'bench-1',
      contact_id: null, user_id: 304497, subaccount_id: 745158, is_shared_system_number: false, country: 'AU', carrier: 'Telstra', status: 'SUCCESS' }],
    _currency: { currency_name_short: 'AUD', currency_prefix_d: '$', currency_prefix_c: 'c', currency_name_long: 'Australian Dollars', min_recharge_amount: '20.00', max_recharge_amount: '10000.00' },
    blocked_count: 0,
  },
});
const dispatcher = { request: async () => ({ statusCode: 200, headers: {}, body: { text: async () => answer } }) };
const message = (i) => ({ to: '+61411111111', body: `Order ${i} is ready for pickup`, custom_string: `bench-${i}` });
// What the benchmark's floor does per request besides the socket work: build the body, read the answer.
const post = (messages) =>
  dispatcher.request({ path: '/v3/sms/send', method: 'POST', headers: { authorization: 'Basic x', 'content-type': 'application/json' },
    body: JSON.stringify({ messages: messages.map((m) => ({ ...m, source: 'bench' })) }) }).then((r) => r.body.text());

const senders = { 'floor (body built, answer read as text)': post, 'floor + JSON.parse of the answer': async (m) => JSON.parse(await post(m)) };
for (const dist of dists) {
  const { createClickSendClient } = await import(pathToFileURL(resolve(dist, 'clicksend/client.js')).href);
  const client = createClickSendClient({ baseUrl: 'http://127.0.0.1:9/v3', credentials: { username: 'u', apiKey: 'k' }, rateLimit: false }, { dispatcher });
  senders[`our client (${dist})`] = (m) => client.sms.send(m);
}
const cpuPerSend = async (send, n) => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i += 1) await send([message(i)]);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
};
for (const send of Object.values(senders)) await cpuPerSend(send, 20_000); // warm-up
const best = Object.fromEntries(Object.keys(senders).map((name) => [name, Infinity]));
for (let rep = 0; rep < 7; rep += 1) {
  for (const [name, send] of Object.entries(senders)) best[name] = Math.min(best[name], await cpuPerSend(send, 30_000));
}
const floor = Object.values(best)[0];
console.table(Object.entries(best).map(([sender, us]) => ({ sender, 'CPU µs per send': us.toFixed(2), 'over the floor, µs': (us - floor).toFixed(2) })));

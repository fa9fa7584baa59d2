// The load generator, forked by the ingest and footprint benchmarks so that it has its own
// process (and core): autocannon posting valid ClickSend inbound-SMS pushes, each with a new
// message_id, at a fixed overall rate (autocannon's -R) or as fast as the connections allow.
// Latency is every 2xx response time as autocannon measures it, kept exactly (autocannon's own
// histogram has 1 ms resolution).
import autocannon from 'autocannon';
import { percentile } from './stats.mjs';

const pushBody = (job, n) =>
  JSON.stringify({
    message_id: `${job.prefix}-${n}`,
    from: `+6141${String(1_000_000 + (n % job.customers)).padStart(7, '0')}`,
    to: job.ourNumber,
    body: `Inbound text number ${n}: is the 3pm slot still free?`,
    timestamp: Math.floor(Date.now() / 1000),
    custom_string: '',
  });

const run = (job) =>
  new Promise((resolve, reject) => {
    let next = 0;
    const times = [];
    const cpuAtStart = process.cpuUsage();
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        ...(job.rate > 0 ? { overallRate: job.rate } : {}),
        ...(job.amount ? { amount: job.amount } : { duration: job.durationS }),
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: job.path,
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({ ...request, body: pushBody(job, next++) }),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        times.sort((a, b) => a - b);
        const seconds = result.duration;
        resolve({
          sent: next,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds,
          rps: result['2xx'] / seconds,
          p50: percentile(times, 50),
          p99: percentile(times, 99),
          p999: percentile(times, 99.9),
          max: times.at(-1),
          // The generator's own CPU: on a 2-core machine it shares the cores with the server.
          cpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpuAtStart)),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    });
  });

process.once('message', async (job) => {
  try {
    process.send({ ok: true, result: await run(job) });
  } catch (error) {
    process.send({ ok: false, error: String(error?.stack ?? error) });
  }
  process.disconnect();
});

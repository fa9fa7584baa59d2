// Runs one load job in a forked load-child.mjs and resolves with its numbers.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('load-child.mjs', import.meta.url));

/**
 * `job`: { url, path, rate (0: as fast as possible), durationS or amount, connections, prefix,
 * customers, ourNumber }.
 */
export const runLoad = async (job) => {
  const child = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send(job);
  const [answer] = await once(child, 'message');
  await once(child, 'exit');
  if (!answer.ok) throw new Error(`load generator failed: ${answer.error}`);
  return answer.result;
};

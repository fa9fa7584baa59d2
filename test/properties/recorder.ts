import { Agent, type Dispatcher } from 'undici';
import { afterEach } from 'vitest';

/** A request the bridge made to ClickSend, as seen at the wire. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
}

export interface ClickSendRecorder {
  /** Give to the bridge as `clicksendDispatcher`. */
  readonly dispatcher: Dispatcher;
  readonly requests: RecordedRequest[];
  /** The requests that change something at ClickSend (anything but GET): sends, uploads, creates. */
  writes(): RecordedRequest[];
}

const agents: Agent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

/** A real undici Agent that records every request the bridge sends to ClickSend (the sandbox). */
export const recordClickSend = (): ClickSendRecorder => {
  const agent = new Agent({ connect: { timeout: 2_000 } });
  agents.push(agent);
  const requests: RecordedRequest[] = [];
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    requests.push({ method: String(options.method), path: String(options.path) });
    return dispatch(options, handler);
  });
  return { dispatcher, requests, writes: () => requests.filter((r) => r.method !== 'GET') };
};

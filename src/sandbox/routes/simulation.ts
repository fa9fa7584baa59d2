/**
 * The sandbox's own endpoints, for tests and `npm run dev` (not ClickSend's: no `/v3`, no auth,
 * loopback callers only): `POST /_sandbox/inbound`, `GET /_sandbox/messages?type=`,
 * `GET /_sandbox/pushes`, `POST /_sandbox/reset`.
 */
import type { SandboxDeps } from '../deps.js';
import { ApiError, json } from '../envelope.js';
import type { ApiRequest, Route } from '../router.js';
import { simulateInbound } from '../simulate.js';
import { MESSAGE_TYPES, type MessageType } from '../state.js';

const isMessageType = (value: string): value is MessageType => (MESSAGE_TYPES as readonly string[]).includes(value);

export const simulationRoutes = (deps: SandboxDeps, reset: () => void): Route[] => {
  const messages = (request: ApiRequest) => {
    const type = request.query.get('type');
    if (type !== null && !isMessageType(type)) {
      throw new ApiError('BAD_REQUEST', `type: must be one of ${MESSAGE_TYPES.join(', ')}.`);
    }
    const rows = deps.state.messages
      .filter((m) => type === null || m.type === type)
      .map((m) => ({ type: m.type, username: m.username, delivery: m.delivery, ...m.record }));
    return json(200, { total: rows.length, messages: rows });
  };

  return [
    { method: 'POST', path: '/_sandbox/inbound', access: 'loopback', handle: (r) => json(202, simulateInbound(deps, r.body)) },
    { method: 'GET', path: '/_sandbox/messages', access: 'loopback', handle: messages },
    {
      method: 'GET',
      path: '/_sandbox/pushes',
      access: 'loopback',
      handle: () => json(200, { total: deps.state.pushes.length, pushes: deps.state.pushes }),
    },
    {
      method: 'POST',
      path: '/_sandbox/reset',
      access: 'loopback',
      handle: () => {
        reset();
        return json(200, { reset: true });
      },
    },
  ];
};

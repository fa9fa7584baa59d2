import type { CloudAdapter } from 'botbuilder';
import restify from 'restify';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { BridgeActivityHandler } from './handler.js';

// Teams caps a bot message at about 100 KB; an activity sent to us is of the same order.
const MAX_ACTIVITY_BYTES = 256 * 1024;

/** `POST /api/messages`: Bot Framework activities from Teams, through the CloudAdapter. */
export const mountBotRoute = (server: HttpServer, adapter: CloudAdapter, handler: BridgeActivityHandler, logger: Logger): void => {
  const log = logger.child({ module: 'bot-route' });
  adapter.onTurnError = async (context, error) => {
    // Reached only for errors outside the bot's own handling (which answers with a card).
    log.error({ err: error, activityId: context.activity.id }, 'unhandled turn error');
  };
  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false }),
    async (req: restify.Request, res: restify.Response) => {
      await adapter.process(req, res, (context) => handler.run(context));
    },
  );
};

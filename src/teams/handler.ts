import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/types.js';
import type { Logger } from '../log.js';
import { turnOf } from './turn.js';
import type { Turn } from './types.js';

/** What the Teams edge hands to the bot: our own types only. */
export interface TeamsBot {
  onMessage(
    turn: Turn,
    incoming:
      | { kind: 'text'; text: string }
      | { kind: 'action'; verb: string; data: Readonly<Record<string, unknown>>; via: 'submit' | 'execute' },
  ): Promise<void>;
  onExecute(turn: Turn, verb: string, data: Readonly<Record<string, unknown>>): Promise<{ replace?: AdaptiveCardJson }>;
  onInstalled(turn: Turn): Promise<void>;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * The botbuilder activity handler. It only translates: text and Action.Submit messages,
 * Action.Execute invokes and installs go to the bot; it holds no behaviour of its own.
 */
export class BridgeActivityHandler extends TeamsActivityHandler {
  constructor(
    private readonly bot: TeamsBot,
    private readonly logger: Logger,
  ) {
    super();
    this.onMessage(async (context, next) => {
      const value = asRecord(context.activity.value);
      const turn = turnOf(context);
      if (typeof value.verb === 'string') {
        const { verb, ...data } = value;
        await this.bot.onMessage(turn, { kind: 'action', verb, data, via: 'submit' });
      } else {
        // botbuilder drops the bot's own <at>mention</at> from the text (and only the bot's).
        const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
        await this.bot.onMessage(turn, { kind: 'text', text });
      }
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient.id;
      if ((context.activity.membersAdded ?? []).some((member) => member.id === botId)) await this.installed(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.installed(context);
      await next();
    });
  }

  private installed(context: TurnContext): Promise<void> {
    return this.bot.onInstalled(turnOf(context));
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const action = invokeValue.action;
    if (action?.type !== 'Action.Execute' || typeof action.verb !== 'string') {
      this.logger.warn({ activityId: context.activity.id }, 'adaptive card invoke without an Action.Execute verb');
      return { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Action.Execute with a verb expected' } };
    }
    const outcome = await this.bot.onExecute(turnOf(context), action.verb, asRecord(action.data));
    if (outcome.replace) return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: outcome.replace };
    // Teams shows a message value as a toast; botbuilder types every value as an object.
    return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Done' as unknown as Record<string, unknown> };
  }
}

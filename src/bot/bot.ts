import { createHash } from 'node:crypto';
import { CARD_ID_FIELD, cardIdOf, withCardId } from '../cards/card-id.js';
import type { Logger } from '../log.js';
import type { OutgoingMessage, Turn } from '../teams/types.js';
import type { ActionOutcome, Feature } from './actions/action.js';
import { createActionRouter } from './action-router.js';
import { matchCommand } from './command-router.js';
import type { BotDeps } from './deps.js';
import { describeError } from './error-card.js';
import { firstWord, unknownCommandAdvice } from './nearest-command.js';
import { cleanCommandText } from './parse.js';

/** How an activity reached us: typed text, or a card action (Submit message or Execute invoke). */
export type Incoming =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly verb: string; readonly data: Readonly<Record<string, unknown>>; readonly via: 'submit' | 'execute' };

/** JSON with every object's keys sorted: the same submission always reads the same. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );

/**
 * What a click is acted on once against (never the invoke's own id: Teams retries an invoke
 * under a new one). The card id its button carries, and the clicked card's message id: both
 * when Teams sent both, so that altering one does not make a click new. A click with neither
 * (a card sent before card ids, in a client without `replyToId`; or a card id altered) is known
 * by everything it submitted. Card ids are not signed: one of the right shape that no card
 * carried, without a message id, reads as a new card (as a typed command would).
 */
const cardKeys = (turn: Turn, data: Readonly<Record<string, unknown>>): string[] => {
  const cardId = cardIdOf(data);
  const keys = [...(cardId ? [`card-id:${cardId}`] : []), ...(turn.replyToId ? [`card:${turn.replyToId}`] : [])];
  if (keys.length > 0) return keys;
  const { [CARD_ID_FIELD]: _, ...submitted } = data;
  return [`submission:${createHash('sha256').update(canonicalJson(submitted)).digest('base64url')}`];
};

/** The turn, with a new card id in every card it sends (see src/cards/card-id.ts). */
const withCardIds = (turn: Turn): Turn => {
  const stamp = (message: OutgoingMessage): OutgoingMessage => (message.card ? { ...message, card: withCardId(message.card) } : message);
  return { ...turn, send: (message) => turn.send(stamp(message)), update: (activityId, message) => turn.update(activityId, stamp(message)) };
};

/**
 * The bot's behaviour, free of botbuilder: commands and card actions come from the features'
 * tables; every failure in a turn ends in a friendly error card and a log line with the
 * activity id.
 */
export const createBot = (deps: BotDeps, features: readonly Feature[]) => {
  const log: Logger = deps.logger.child({ module: 'bot' });
  const commands = features.flatMap((f) => f.commands);
  const actions = createActionRouter(
    features.flatMap((f) => f.actions),
    deps,
  );

  const fail = async (turn: Turn, error: unknown): Promise<void> => {
    log.error({ err: error, activityId: turn.activityId, conversation: turn.conversation.kind }, 'turn failed');
    await turn.send({ card: deps.cards.render('error', describeError(error, turn.activityId).card) }).catch(() => undefined);
  };

  /** Shows an action's outcome: in place of the clicked card, or as a new post. */
  const deliver = async (turn: Turn, outcome: ActionOutcome, where: 'in-place' | 'post'): Promise<void> => {
    if (outcome.replace && where === 'in-place' && turn.replyToId) {
      await turn.update(turn.replyToId, { card: outcome.replace });
      await outcome.shown?.(turn.replyToId);
    } else if (outcome.replace) {
      const posted = await turn.send({ card: outcome.replace });
      if (posted) await outcome.shown?.(posted);
    }
    if (outcome.reply) await turn.send(outcome.reply);
  };

  const interceptors = features.flatMap((f) => (f.intercept ? [f.intercept] : []));
  const performer = (turn: Turn) => async (verb: string, data: Readonly<Record<string, unknown>>) =>
    deliver(turn, await actions.run({ turn, verb, data, onceKeys: [`message:${turn.activityId ?? ''}`] }), 'post');

  const runText = async (turn: Turn, raw: string): Promise<void> => {
    // In a channel or group chat the bot acts only on what @mentions it. The rest, which it sees
    // where a team granted ChannelMessage.Read.Group, is the team talking (in a customer's thread,
    // an internal note): never a command, never texted.
    if (turn.conversation.kind !== 'personal' && !turn.mentionsBot) {
      log.debug({ activityId: turn.activityId }, 'message without the bot’s mention: left to the team');
      return;
    }
    const text = cleanCommandText(raw);
    const match = matchCommand(commands, turn, text);
    for (const intercept of interceptors) if (await intercept(turn, text, performer(turn), match !== undefined)) return;
    if (!match) {
      // Not every client shows a command menu (the Agents Playground, some Teams clients): the advice names commands.
      const word = firstWord(text);
      await turn.send({
        card: deps.cards.render('error', {
          title: word ? `I don't know "${word}"` : 'Type a command',
          message: unknownCommandAdvice(text, commands),
          details: [],
        }),
      });
      return;
    }
    const { scopes, role } = match.command;
    if (scopes && !scopes.includes(turn.conversation.kind)) {
      const where = scopes.map((s) => (s === 'personal' ? 'a personal chat' : s === 'channel' ? 'a channel' : 'a group chat')).join(' or ');
      await turn.send({ card: deps.cards.render('error', { title: `${match.command.usage} works in ${where}`, message: 'Nothing was done.', details: [] }) });
      return;
    }
    const words = match.command.words.join(' ');
    if (role) {
      try {
        deps.access.verify(turn.user, role, `\`${words}\``);
      } catch (refusal) {
        log.info({ command: words, activityId: turn.activityId, role }, 'command refused: role');
        await turn.send({ card: deps.cards.render('error', describeError(refusal, turn.activityId).card) });
        return;
      }
    }
    log.info({ command: words, activityId: turn.activityId }, 'command');
    await match.command.run({
      ...match.context,
      perform: performer(turn),
      show: async (card) => void (await turn.send({ card })),
    });
  };

  /** Activities from tenants the bridge does not serve get this card and nothing else. */
  const foreignTenant = (turn: Turn): boolean => {
    if (deps.access.isTenantAllowed(turn.conversation.tenantId)) return false;
    log.warn({ tenantId: turn.conversation.tenantId ?? null, activityId: turn.activityId }, 'activity from a tenant that is not allowed');
    return true;
  };
  const refusalCard = () =>
    deps.cards.render('error', {
      title: 'This bot works for another organisation',
      message: 'It only acts for the Microsoft 365 organisation that runs it, so nothing was done. Ask your Teams administrator for your own copy.',
      details: [],
    });

  return {
    /** A message: typed text or an Action.Submit; answers by posting and updating cards. */
    async onMessage(teamsTurn: Turn, incoming: Incoming): Promise<void> {
      const turn = withCardIds(teamsTurn);
      if (foreignTenant(turn)) {
        await turn.send({ card: refusalCard() }).catch(() => undefined);
        return;
      }
      try {
        if (incoming.kind === 'text') {
          await runText(turn, incoming.text);
          return;
        }
        const { verb, data } = incoming;
        await deliver(turn, await actions.run({ turn, verb, data, onceKeys: cardKeys(turn, data) }), 'in-place');
      } catch (error) {
        await fail(turn, error);
      }
    },
    /** An Action.Execute invoke: the returned card replaces the clicked one in place. */
    async onExecute(teamsTurn: Turn, verb: string, data: Readonly<Record<string, unknown>>): Promise<ActionOutcome> {
      const turn = withCardIds(teamsTurn);
      if (foreignTenant(turn)) return { replace: refusalCard() };
      try {
        const outcome = await actions.run({ turn, verb, data, onceKeys: cardKeys(turn, data) });
        if (outcome.reply) await turn.send(outcome.reply);
        // The invoke's answer replaces the clicked card in its message: the card stays that message.
        if (outcome.replace && turn.replyToId) await outcome.shown?.(turn.replyToId);
        return outcome.replace ? { ...outcome, replace: withCardId(outcome.replace) } : outcome;
      } catch (error) {
        log.error({ err: error, activityId: turn.activityId, verb }, 'card action failed');
        return { replace: deps.cards.render('error', describeError(error, turn.activityId).card) };
      }
    },
    /** The bot was added to a team, chat or personal scope: remember where, welcome once. */
    async onInstalled(teamsTurn: Turn): Promise<void> {
      const turn = withCardIds(teamsTurn);
      if (foreignTenant(turn)) {
        await turn.send({ card: refusalCard() }).catch(() => undefined);
        return;
      }
      try {
        const { conversation } = turn;
        await deps.conversations.saveConversation({
          conversationId: conversation.id,
          kind: conversation.kind,
          tenantId: conversation.tenantId ?? '',
          serviceUrl: turn.serviceUrl,
          teamId: conversation.teamId,
          channelId: conversation.channelId,
          botId: turn.botId,
          userId: conversation.kind === 'personal' ? turn.user.id : undefined,
          reference: turn.reference,
        });
        if (!(await deps.conversations.markWelcomed(conversation.id))) return;
        const scope = conversation.kind === 'channel' ? 'team' : conversation.kind;
        const welcome: OutgoingMessage = {
          card: deps.cards.render('welcome', { scope, helpButton: { title: 'Show commands', verb: 'help.show' } }),
        };
        await turn.send(welcome);
        log.info({ conversation: conversation.kind }, 'installed and welcomed');
      } catch (error) {
        log.error({ err: error, activityId: turn.activityId }, 'install handling failed');
      }
    },
  };
};
export type Bot = ReturnType<typeof createBot>;

import { z } from 'zod';
import { verifyRequest } from '../../clicksend/requests.js';
import { parsePhoneNumber } from '../../domain/phone.js';
import { replyLengthProblem } from '../../domain/reply-length.js';
import { UsageError } from '../../errors.js';
import { ANY_NUMBER, type ReleasedRows } from '../../store/relay.js';
import type { Turn } from '../../teams/types.js';
import type { ActionOutcome, CardAction, Feature, TextInterceptor } from '../actions/action.js';
import { describeError } from '../error-card.js';
import type { Command, CommandContext } from '../commands/command.js';
import type { BotDeps } from '../deps.js';
import { firstWord } from '../nearest-command.js';
import type { SentReply } from '../../bridge/replies.js';

const ReplySchema = z.object({
  customer: z.string().min(1),
  ourNumber: z.string().min(1),
  // Its length is checked apart (replyLengthProblem), to be refused in a message of its own.
  body: z.string().trim().min(1, 'type the reply first'),
  /** Set by the "Not texted" offer's button: once it texted, that card says so in place. */
  offer: z.literal(true).optional(),
});

const channelPlace = (turn: Turn) => {
  const { teamId, channelId, tenantId } = turn.conversation;
  if (!teamId || !channelId) throw new UsageError('This works in a channel', 'Type it in the channel that should get the texts.');
  return { teamId, channelId, tenantId: tenantId ?? '', serviceUrl: turn.serviceUrl, botId: turn.botId };
};

const whoOf = (turn: Turn): string => turn.user.name ?? turn.user.id;

/**
 * The relay inside Teams: `link`, `unlink` and `links` in channels, and replies to customers
 * typed in their thread or in the Reply field of their card, sent as SMS from our number.
 */
export const createRelayFeature = (deps: BotDeps): Feature => {
  const { links, replies } = deps.relay;
  const log = deps.logger.child({ module: 'relay-feature' });

  const numberArg = (context: CommandContext, usage: string): string => {
    const words = context.args.join(' ').trim();
    if (!words) throw new UsageError('Which number?', `Type ${usage}.`);
    if (words.toLowerCase() === 'all') return ANY_NUMBER;
    return parsePhoneNumber(words, deps.settings.defaultCountry);
  };

  /** A refusal or problem as a new message in the thread: the customer's card keeps their words. */
  const answerApart = (turn: Turn, error: unknown): ActionOutcome => {
    const described = describeError(error, turn.activityId);
    if (!described.retry) log.error({ err: error, activityId: turn.activityId }, 'thread reply failed');
    return { reply: { card: deps.cards.render('error', described.card) }, settled: described.retry ? 'retry' : 'done' };
  };

  /** No status card will show this reply: said at once, so that nobody sends it again unawares. */
  const unrecorded = (customer: string, messageId: string) => ({
    card: deps.cards.render('error', {
      title: 'Texted, but its status could not be recorded',
      message: `Sent to ${customer} (message id ${messageId}), but its status could not be recorded: check before sending it again.`,
      details: [],
    }),
  });

  const sendReply = async (turn: Turn, data: Readonly<Record<string, unknown>>): Promise<ActionOutcome> => {
    // A coded InvalidRequestError: the card then says what is wrong with the reply.
    const reply = verifyRequest('thread.reply', ReplySchema, data);
    const tooLong = replyLengthProblem(reply.body);
    if (tooLong) {
      const card = deps.cards.render('error', { title: 'Your reply was not sent', message: tooLong.message, details: [] });
      return { reply: { card }, settled: 'retry' };
    }
    const thread = await replies.threadOf(turn.conversation.id);
    if (!thread || thread.customerNumber !== reply.customer || thread.ourNumber !== reply.ourNumber) {
      throw new UsageError('This reply does not belong to this thread', 'Reply in the thread of the customer you want to text.');
    }
    // Unlinked (or moved): the reply's status could not show here, and the team would not see
    // the customer's answer. Say so now rather than text into a thread nobody follows.
    if ((await links.channelOf(thread.ourNumber)) !== thread.channelId) {
      throw new UsageError(
        `${thread.ourNumber} is no longer linked to this channel, so nothing was sent`,
        `To reply from here, link it again: type link ${thread.ourNumber} in this channel.`,
      );
    }
    const audit = (sent: SentReply) =>
      deps.audit.record(turn, { action: 'thread.reply', recipients: 1, messageIds: [sent.messageId], price: sent.price, currency: sent.currency });
    const place = { conversationId: turn.conversation.id, serviceUrl: turn.serviceUrl, tenantId: turn.conversation.tenantId ?? '', botId: turn.botId };
    const sent = await replies.reply({ ourNumber: thread.ourNumber, customer: thread.customerNumber, text: reply.body, sentBy: whoOf(turn), place }, audit);
    // The offer is used once: its button gives way to what it did. A customer's card is never replaced.
    const replace = reply.offer ? deps.cards.render('done', { title: 'Texted to the customer', message: reply.body, facts: [], buttons: [] }) : undefined;
    return { ...(replace ? { replace } : {}), ...(sent.recorded ? {} : { reply: unrecorded(thread.customerNumber, sent.messageId) }) };
  };


  const actions: CardAction[] = [
    {
      verb: 'thread.reply',
      once: 'per-activity',
      permission: { role: 'sender', what: 'Replying to a customer' },
      async run({ turn, data }) {
        try {
          return await sendReply(turn, data);
        } catch (error) {
          return answerApart(turn, error);
        }
      },
    },
  ];

  /** A "Not texted" card whose button texts `data` to the customer after all. */
  const offer = (turn: Turn, title: string, message: string, data: Readonly<Record<string, unknown>>) =>
    turn.send({
      card: deps.cards.render('done', {
        title,
        message,
        facts: [],
        buttons: [{ title: 'Text it to the customer', verb: 'thread.reply', data: { ...data, offer: true }, style: 'positive' }],
      }),
    });

  /**
   * The thread rule: in a customer's thread, a message that starts with the bot's @mention is
   * texted to the customer (other mentions as the names they show), unless it starts with a
   * command word (then it is that command, and the bot offers to text it instead). One that
   * mentions the bot further on is a note about the bot, offered rather than texted. What does
   * not @mention the bot never gets here (see bot.ts): it stays in Teams.
   */
  const intercept: TextInterceptor = async (turn, text, perform, isCommand) => {
    if (turn.conversation.kind !== 'channel' || !turn.conversation.id.includes(';messageid=') || !text) return false;
    const thread = await replies.threadOf(turn.conversation.id);
    if (!thread) return false;
    const data = { customer: thread.customerNumber, ourNumber: thread.ourNumber, body: turn.textWithNames || text };
    if (isCommand) {
      if (/\s/.test(text)) {
        const word = firstWord(text);
        await offer(turn, 'Not texted: this is a command', `"${word}" is a command word, so the bot answered it and texted nothing. To text all of it to the customer, use the button.`, data);
      }
      return false;
    }
    if (!turn.startsWithBotMention) {
      await offer(
        turn,
        'Not texted: the bot is mentioned in a note',
        'Only a message that starts with the bot’s @mention is texted to the customer, so this one stays in Teams. To text it as it reads here, use the button.',
        data,
      );
      return true;
    }
    await perform('thread.reply', data);
    return true;
  };

  const linkWord = (number: string) => (number === ANY_NUMBER ? 'every number without a link of its own' : number);

  /** What a link let out, said exactly: the customer texts apart from our own status cards queued with them. */
  const releasedNote = ({ texts, others }: ReleasedRows): string => {
    const textsGo = texts === 1 ? '1 customer text that waited is on its way' : `${texts} customer texts that waited are on their way`;
    const cards = others === 1 ? '1 status card' : `${others} status cards`;
    if (texts > 0 && others > 0) return ` ${textsGo}; ${cards} ${others === 1 ? 'follows' : 'follow'}.`;
    if (texts > 0) return ` ${textsGo}.`;
    if (others > 0) return ` ${cards} that waited ${others === 1 ? 'is' : 'are'} on ${others === 1 ? 'its' : 'their'} way.`;
    return '';
  };

  const commands: Command[] = [
    {
      words: ['link'],
      role: 'admin',
      usage: 'link <number> | link all',
      summary: 'Texts to our number (or all numbers) come into this channel, a thread per customer',
      scopes: ['channel'],
      async run(c) {
        const number = numberArg(c, 'link <number> or link all');
        const place = channelPlace(c.turn);
        const { released, previous } = await links.link(number, place, whoOf(c.turn));
        await deps.audit.record(c.turn, { action: 'link', recipients: 0, messageIds: [], detail: `${linkWord(number)} to channel ${place.channelId}` });
        await c.show(
          deps.cards.render('done', {
            title: 'Linked',
            message: `Texts to ${linkWord(number)} now come into this channel, one thread per customer.${releasedNote(released)}`,
            facts: previous && previous.channelId !== c.turn.conversation.channelId ? [{ title: 'Moved from', value: 'another channel of this team' }] : [],
            buttons: [],
          }),
        );
      },
    },
    {
      words: ['unlink'],
      role: 'admin',
      usage: 'unlink <number> | unlink all',
      summary: "Stop bringing a number's texts into this team",
      scopes: ['channel'],
      async run(c) {
        const number = numberArg(c, 'unlink <number> or unlink all');
        const removed = await links.unlink(number, channelPlace(c.turn).teamId);
        if (!removed) throw new UsageError(`${linkWord(number)} is not linked in this team`, 'Type links to see what is.');
        await deps.audit.record(c.turn, { action: 'unlink', recipients: 0, messageIds: [], detail: `${linkWord(number)} in team ${channelPlace(c.turn).teamId}` });
        await c.show(deps.cards.render('done', { title: 'Unlinked', message: `Texts to ${linkWord(number)} no longer come into this team.`, facts: [], buttons: [] }));
      },
    },
    {
      words: ['links'],
      usage: 'links',
      summary: "The numbers linked to this team's channels",
      scopes: ['channel'],
      async run(c) {
        const { links: rows, parked } = await links.list(channelPlace(c.turn).teamId);
        await c.show(
          deps.cards.render('links', {
            rows: rows.map((link) => {
              const problem = parked.find((p) => p.channelId === link.channelId);
              return {
                number: link.number === ANY_NUMBER ? 'all other numbers' : link.number,
                channel: link.channelId === c.turn.conversation.channelId ? 'this channel' : link.channelId,
                ...(problem ? { problem: `${problem.count} post(s) could not be delivered: ${problem.reason}` } : {}),
              };
            }),
            note: rows.length === 0 ? 'No number is linked yet: type link <number> in the channel that should get its texts.' : '',
          }),
        );
      },
    },
  ];
  return { commands, actions, intercept };
};

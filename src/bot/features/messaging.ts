import type { Fact } from '../../cards/types.js';
import { isValidPhoneNumber, type CountryCode } from '../../domain/phone.js';
import { createFormSchemas } from '../../bridge/forms.js';
import { createVoiceChoices } from '../../bridge/voice-choice.js';
import type { Command, CommandContext } from '../commands/command.js';
import type { Feature } from '../actions/action.js';
import type { BotDeps } from '../deps.js';
import type { FormCards } from '../form-cards.js';
import type { Permission } from '../actions/action.js';
import { createSendActions, namesList } from './send-action.js';

/** `list:<id>` sends to a contact list; anything else is a phone number. */
const recipientInput = (to: string): Record<string, string> => {
  const list = /^list:(\S+)$/i.exec(to);
  return list ? { list_id: list[1]! } : { to };
};

const NUMBER_PART = /^[+\d().-]+$/;

/**
 * Splits `<to> <text>`: people type local numbers with spaces (`sms 0411 111 111 Hi`), so the
 * longest run of leading number-like words that reads as a valid number is the recipient.
 */
const splitRecipient = (context: CommandContext, country: CountryCode): { to: Record<string, string>; rest: string } => {
  const max = Math.min(5, context.args.length - 1);
  for (let n = max; n > 1; n -= 1) {
    const words = context.args.slice(0, n);
    if (words.every((w) => NUMBER_PART.test(w)) && isValidPhoneNumber(words.join(' '), country)) {
      return { to: { to: words.join(' ') }, rest: context.restAfter(n) };
    }
  }
  return { to: recipientInput(context.args[0] ?? ''), rest: context.restAfter(1) };
};

const recipientFact = (value: { to?: string | undefined; list_id?: number | undefined }): Fact =>
  value.list_id === undefined ? { title: 'To', value: value.to ?? '' } : { title: 'To', value: `every contact of list ${value.list_id}` };

/** A send to numbers needs a sender; to a whole contact list, an admin. */
const toNumbersOrList =
  (what: string) =>
  (data: Readonly<Record<string, unknown>>): Permission =>
    namesList(data) ? { role: 'admin', what: 'Sending to a whole contact list' } : { role: 'sender', what };

/** Opens the form when the command is typed alone, otherwise does what the form would do. */
const formOr =
  (form: () => Promise<void>, act: (context: CommandContext) => Promise<void>) =>
  async (context: CommandContext): Promise<void> =>
    context.args.length === 0 ? form() : act(context);

/** SMS, MMS, voice calls and faxes: commands, forms and their sends. */
export const createMessagingFeature = (deps: BotDeps, forms: FormCards): Feature => {
  const schemas = createFormSchemas(deps.settings.defaultCountry);
  const isList = (value: { list_id?: number | undefined }) => value.list_id !== undefined;
  // A list is expanded by ClickSend, so its numbers are not known here: opt-outs are checked
  // for numbers given directly (ClickSend's own opt-out list applies to list sends).
  const directNumber = (value: { to?: string | undefined }) => (value.to ? [value.to] : []);
  // Built once with the bot, so ClickSend's voice languages are read once an hour, not per call.
  const voiceChoices = createVoiceChoices({ logger: deps.logger });

  const actions = [
    ...createSendActions(deps, forms, {
      verb: 'sms.send',
      permission: toNumbersOrList('Sending an SMS'),
      form: 'sms',
      kind: 'sms',
      schema: schemas.sms,
      optOutNumbers: directNumber,
      confirmFirst: isList,
      describe: (v) => [recipientFact(v), { title: 'Message', value: v.body }],
      price: (client, v) => client.sms.price([v]),
      send: (client, v) => client.sms.send([v]),
      many: { price: (client, vs) => client.sms.price(vs), send: (client, vs) => client.sms.send(vs) },
    }),
    ...createSendActions(deps, forms, {
      verb: 'mms.send',
      permission: toNumbersOrList('Sending an MMS'),
      form: 'mms',
      kind: 'mms',
      schema: schemas.mms,
      optOutNumbers: directNumber,
      confirmFirst: isList,
      describe: (v) => [recipientFact(v), { title: 'Subject', value: v.subject }, { title: 'Picture', value: v.media_file }],
      price: (client, { media_file, ...m }) => client.mms.price({ media_file, messages: [m] }),
      send: (client, { media_file, ...m }) => client.mms.send({ media_file, messages: [m] }),
      many: {
        price: (client, vs) => client.mms.price({ media_file: vs[0]!.media_file, messages: vs.map(({ media_file: _file, ...m }) => m) }),
        send: (client, vs) => client.mms.send({ media_file: vs[0]!.media_file, messages: vs.map(({ media_file: _file, ...m }) => m) }),
      },
    }),
    ...createSendActions(deps, forms, {
      verb: 'voice.send',
      permission: toNumbersOrList('Making a voice call'),
      form: 'voice',
      kind: 'voice',
      schema: schemas.voice,
      verify: (client, v) => voiceChoices.verifyVoiceChoice(client, v.lang, v.voice),
      optOutNumbers: directNumber,
      confirmFirst: isList,
      describe: (v) => [recipientFact(v), { title: 'Text', value: v.body }, { title: 'Voice', value: `${v.lang}, ${v.voice}` }],
      price: (client, v) => client.voice.price([v]),
      send: (client, v) => client.voice.send([v]),
      many: { price: (client, vs) => client.voice.price(vs), send: (client, vs) => client.voice.send(vs) },
    }),
    ...createSendActions(deps, forms, {
      verb: 'fax.send',
      permission: toNumbersOrList('Sending a fax'),
      form: 'fax',
      kind: 'fax',
      schema: schemas.fax,
      confirmFirst: isList,
      describe: (v) => [recipientFact(v), { title: 'Document', value: v.file_url }],
      price: (client, { file_url, ...m }) => client.fax.price({ file_url, messages: [m] }),
      send: (client, { file_url, ...m }) => client.fax.send({ file_url, messages: [m] }),
      many: {
        price: (client, vs) => client.fax.price({ file_url: vs[0]!.file_url, messages: vs.map(({ file_url: _url, ...m }) => m) }),
        send: (client, vs) => client.fax.send({ file_url: vs[0]!.file_url, messages: vs.map(({ file_url: _url, ...m }) => m) }),
      },
    }),
  ];

  const showForm = (context: CommandContext, form: 'sms' | 'mms' | 'voice' | 'fax') => async () =>
    context.show(await forms.render(form));
  const formButton = (form: string, title: string) => ({ title, verb: 'form.open', data: { form } });

  const commands: Command[] = [
    {
      words: ['sms'],
      role: 'sender',
      usage: 'sms <to> <text>',
      summary: 'Send an SMS to a number or to list:<list_id>; sms alone opens the form',
      button: formButton('sms', 'SMS'),
      run: (c) =>
        formOr(showForm(c, 'sms'), (ctx) => {
          const { to, rest } = splitRecipient(ctx, deps.settings.defaultCountry);
          return ctx.perform('sms.send', { ...to, body: rest });
        })(c),
    },
    {
      words: ['mms'],
      role: 'sender',
      usage: 'mms',
      summary: 'Send a picture message (form)',
      button: formButton('mms', 'MMS'),
      run: async (c) => showForm(c, 'mms')(),
    },
    {
      words: ['voice'],
      role: 'sender',
      usage: 'voice <to> <text>',
      summary: 'Call a number and read the text out; voice alone opens the form',
      button: formButton('voice', 'Voice call'),
      run: (c) =>
        formOr(showForm(c, 'voice'), (ctx) => {
          const { to, rest } = splitRecipient(ctx, deps.settings.defaultCountry);
          return ctx.perform('voice.send', { ...to, body: rest, lang: deps.settings.voice.lang, voice: deps.settings.voice.gender });
        })(c),
    },
    {
      words: ['fax'],
      role: 'sender',
      usage: 'fax <to> <pdf_url>',
      summary: 'Fax a PDF; fax alone opens the form',
      button: formButton('fax', 'Fax'),
      run: (c) => formOr(showForm(c, 'fax'), (ctx) => ctx.perform('fax.send', { ...recipientInput(ctx.args[0]!), file_url: ctx.args[1] ?? '' }))(c),
    },
  ];

  return { commands, actions };
};

import { createFormSchemas } from '../../bridge/forms.js';
import type { Feature } from '../actions/action.js';
import type { Command } from '../commands/command.js';
import type { BotDeps } from '../deps.js';
import type { FormCards } from '../form-cards.js';
import { createSendActions } from './send-action.js';

const addressOf = (v: { address_name: string; address_line_1: string; address_city: string; address_postal_code: string; address_country: string }) =>
  `${v.address_name}, ${v.address_line_1}, ${v.address_city} ${v.address_postal_code}, ${v.address_country}`;

/** Letters and postcards: forms only, always priced and confirmed before anything is posted. */
export const createPostFeature = (deps: BotDeps, forms: FormCards): Feature => {
  const schemas = createFormSchemas(deps.settings.defaultCountry);

  const actions = [
    ...createSendActions(deps, forms, {
      verb: 'letter.send',
      permission: () => ({ role: 'admin', what: 'Sending a letter' }),
      priceVerb: 'letter.price',
      form: 'letter',
      kind: 'letter',
      schema: schemas.letter,
      confirmFirst: () => true,
      describe: (v) => [
        { title: 'To', value: addressOf(v) },
        { title: 'Document', value: v.file_url },
        { title: 'Printing', value: `${v.colour ? 'colour' : 'black and white'}, ${v.duplex ? 'double' : 'single'}-sided${v.priority_post ? ', priority post' : ''}` },
      ],
      price: (client, v) => client.post.priceLetter(toLetter(v)),
      send: (client, v) => client.post.sendLetter(toLetter(v)),
    }),
    ...createSendActions(deps, forms, {
      verb: 'postcard.send',
      permission: () => ({ role: 'admin', what: 'Sending a postcard' }),
      priceVerb: 'postcard.price',
      form: 'postcard',
      kind: 'postcard',
      schema: schemas.postcard,
      confirmFirst: () => true,
      describe: (v) => [{ title: 'To', value: addressOf(v) }, { title: 'Artwork', value: v.file_urls.join(' and ') }],
      price: (client, v) => client.post.pricePostcard(toPostcard(v)),
      send: (client, v) => client.post.sendPostcard(toPostcard(v)),
    }),
  ];

  const commands: Command[] = [
    {
      words: ['letter'],
      role: 'admin',
      usage: 'letter',
      summary: 'Post a PDF as a letter (form; shows the price before posting)',
      button: { title: 'Letter', verb: 'form.open', data: { form: 'letter' } },
      run: async (c) => c.show(await forms.render('letter')),
    },
    {
      words: ['postcard'],
      role: 'admin',
      usage: 'postcard',
      summary: 'Post a postcard (form; shows the price before posting)',
      button: { title: 'Postcard', verb: 'form.open', data: { form: 'postcard' } },
      run: async (c) => c.show(await forms.render('postcard')),
    },
  ];
  return { commands, actions };
};

type LetterForm = ReturnType<typeof createFormSchemas>['letter']['_output'];
type PostcardForm = ReturnType<typeof createFormSchemas>['postcard']['_output'];

const recipientOf = (v: LetterForm | PostcardForm) => ({
  address_name: v.address_name,
  address_line_1: v.address_line_1,
  address_line_2: v.address_line_2,
  address_city: v.address_city,
  address_state: v.address_state,
  address_postal_code: v.address_postal_code,
  address_country: v.address_country,
  return_address_id: v.return_address_id,
});

const toLetter = (v: LetterForm) => ({
  file_url: v.file_url,
  template_used: v.template_used,
  colour: v.colour,
  duplex: v.duplex,
  priority_post: v.priority_post,
  recipients: [recipientOf(v)],
});

const toPostcard = (v: PostcardForm) => ({ file_urls: v.file_urls, recipients: [recipientOf(v)] });

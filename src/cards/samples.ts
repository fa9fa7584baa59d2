import type { CardButton, CardData, CardName, Choice } from './types.js';

/**
 * Realistic data for every card: used by the render tests and by `npm run cards:screenshots`.
 * The first sample of each card is the fullest one (the screenshot); the others cover empty
 * lists, absent optional parts and hostile text.
 */
export type CardSamples = { readonly [N in CardName]: readonly CardData[N][] };

/** Text a customer or user might type that must reach the card literally. */
export const hostileText = {
  template: 'Your code is ${secret} and ${values.to}',
  markdown: '**bold** and [link](http://x) _now_',
  json: '{"type":"AdaptiveCard","body":[{"type":"TextBlock","text":"${x}"}]}',
} as const;

const lists: readonly Choice[] = [
  { title: 'VIP customers (1,204)', value: '2217' },
  { title: 'Newsletter (8,930)', value: '2218' },
  { title: 'Sydney store', value: '2301' },
];
const languages: readonly Choice[] = [
  { title: 'English (Australia)', value: 'en-au' },
  { title: 'English (US)', value: 'en-us' },
  { title: 'English (UK)', value: 'en-gb' },
  { title: 'German', value: 'de-de' },
];
const returnAddresses: readonly Choice[] = [
  { title: 'Head office, 1 George St, Sydney NSW 2000', value: '1042' },
  { title: 'Warehouse, 12 Dock Rd, Botany NSW 2019', value: '1043' },
];
const none = { values: {}, errors: {} } as const;
const formButton = (title: string, form: string): CardButton => ({ title, verb: 'form.open', data: { form } });
const address = {
  address_name: 'Jane Citizen',
  address_line_1: '42 Wallaby Way',
  address_city: 'Sydney',
  address_state: 'NSW',
  address_postal_code: '2000',
  address_country: 'AU',
};

export const cardSamples: CardSamples = {
  welcome: [
    { scope: 'team', helpButton: { title: 'Show commands', verb: 'help.show', style: 'positive' } },
    { scope: 'personal', helpButton: { title: 'Show commands', verb: 'help.show' } },
    { scope: 'groupChat', helpButton: { title: 'Show commands', verb: 'help.show', data: {} } },
  ],
  help: [
    {
      defaultCountry: 'AU',
      commands: [
        { usage: 'sms <to> <text>', summary: 'Send an SMS to a number or list:<list_id>', button: formButton('SMS', 'sms') },
        { usage: 'mms', summary: 'Send a picture message', button: formButton('MMS', 'mms') },
        { usage: 'voice <to> <text>', summary: 'Call and read a message out', button: formButton('Call', 'voice') },
        { usage: 'fax <to> <pdf_url>', summary: 'Fax a PDF', button: formButton('Fax', 'fax') },
        { usage: 'letter', summary: 'Post a letter (price shown first)', button: formButton('Letter', 'letter') },
        { usage: 'postcard', summary: 'Post a postcard (price shown first)', button: formButton('Postcard', 'postcard') },
        { usage: 'lists [<search>]', summary: 'Your contact lists', button: { title: 'Lists', verb: 'lists.show' } },
        { usage: 'list create <name>', summary: 'Create a contact list', button: formButton('New list', 'list') },
        { usage: 'list delete <list_id>', summary: 'Delete a list, after you confirm' },
        { usage: 'contacts <list_id>', summary: 'The contacts of a list' },
        { usage: 'contact add [<list_id>]', summary: 'Add a contact to a list', button: formButton('Add', 'contact') },
        { usage: 'contact delete <list_id> <contact_id>', summary: 'Delete a contact, after you confirm' },
        { usage: 'upload <fax|mms|post|postcard|csv>', summary: 'Convert an attached file and get its URL' },
        { usage: 'link <number>', summary: 'Texts to that number arrive in this channel' },
        { usage: 'unlink <number>, links', summary: 'Remove a link; list the links of this team' },
      ],
    },
    { defaultCountry: 'US', commands: [] },
  ],
  error: [
    {
      title: 'The SMS was not sent',
      message: 'ClickSend refused the request. Fix the fields below and try again.',
      details: [
        { field: 'to', message: 'Not a valid phone number for AU' },
        { field: 'body', message: 'Too long: 1,310 characters, at most 1,224' },
      ],
      code: 'INVALID_RECIPIENT',
      reference: 'f:9c1e0a7b-44d2',
    },
    { title: 'Something went wrong', message: 'ClickSend could not be reached. Nothing was sent.', details: [] },
  ],
  'sms-form': [
    {
      ...none,
      lists,
      defaultCountry: 'AU',
      values: { to: '0411 111 11', body: 'Hi Jane, your order 1234 is ready for pickup at our George St store.', custom_string: 'order-1234' },
      errors: { to: 'Not a valid phone number for AU: it has 9 digits, 10 expected.' },
      problem: 'Nothing was sent: fix the field below and send again.',
    },
    { ...none, lists: [], defaultCountry: 'AU' },
    {
      lists,
      defaultCountry: 'NZ',
      values: { list_id: '2218', body: hostileText.template },
      errors: { to: 'bad number', list_id: 'no such list', body: 'too long', custom_string: 'too long' },
      problem: hostileText.markdown,
    },
  ],
  'mms-form': [
    {
      lists,
      defaultCountry: 'AU',
      values: { to: '+61411111111', subject: 'Spring sale', body: 'Our spring sale starts today: 20% off everything.', media_file: 'http://example.com/sale.png' },
      errors: { media_file: 'Must be an https:// URL of a JPG or GIF.' },
    },
    { ...none, lists: [], defaultCountry: 'AU' },
    {
      lists,
      defaultCountry: 'AU',
      values: {},
      errors: { to: 'e', list_id: 'e', subject: 'e', body: 'e', media_file: 'e', custom_string: 'e' },
      problem: 'ClickSend: INSUFFICIENT_CREDIT',
    },
  ],
  'voice-form': [
    {
      lists,
      languages,
      defaultCountry: 'AU',
      values: { to: '02 9111 1111', body: 'Hello, this is Acme Dental reminding you of your appointment tomorrow at 10 am.', lang: 'en-au', voice: 'female', require_input: '1', machine_detection: '1' },
      errors: {},
    },
    { ...none, lists: [], languages, defaultCountry: 'AU', values: { lang: 'en-us', voice: 'female' } },
    {
      lists,
      languages: [],
      defaultCountry: 'AU',
      values: {},
      errors: { to: 'e', list_id: 'e', body: 'e', lang: 'e', voice: 'e', require_input: 'e', machine_detection: 'e', custom_string: 'e' },
      problem: 'ClickSend: INVALID_LANG',
    },
  ],
  'fax-form': [
    {
      lists,
      defaultCountry: 'AU',
      values: { to: '02 9111 1111', file_url: 'https://example.com/invoices/INV-0042.pdf', custom_string: 'INV-0042' },
      errors: {},
      problem: 'ClickSend could not fetch the PDF (HTTP 404). Check the URL and try again.',
    },
    { ...none, lists: [], defaultCountry: 'AU' },
    { lists, defaultCountry: 'AU', values: {}, errors: { to: 'e', list_id: 'e', file_url: 'e', custom_string: 'e' } },
  ],
  'letter-form': [
    {
      returnAddresses,
      values: { file_url: 'https://example.com/letters/renewal.pdf', template_used: '1', colour: '1', duplex: '0', priority_post: '0', ...address, address_line_2: 'Level 3', address_country: 'Australia', return_address_id: '1042' },
      errors: { address_country: 'Use the 2-letter country code, e.g. AU.' },
    },
    { ...none, returnAddresses: [] },
    {
      returnAddresses: [],
      values: {},
      errors: Object.fromEntries(
        ['file_url', 'template_used', 'colour', 'duplex', 'priority_post', 'address_name', 'address_line_1', 'address_line_2', 'address_city', 'address_state', 'address_postal_code', 'address_country', 'return_address_id'].map((id) => [id, `${id} is wrong`]),
      ),
      problem: 'ClickSend: INVALID_ADDRESS',
    },
  ],
  'postcard-form': [
    {
      returnAddresses,
      values: { file_urls: 'https://example.com/front.pdf\nhttps://example.com/back.pdf', ...address, return_address_id: '1043' },
      errors: {},
      problem: 'ClickSend could not read https://example.com/back.pdf: not a PDF.',
    },
    { ...none, returnAddresses: [] },
  ],
  'list-form': [
    { values: { list_name: 'VIP customers' }, errors: { list_name: 'A list with this name already exists.' } },
    { ...none },
  ],
  'contact-form': [
    {
      lists,
      values: { list_id: '2217', first_name: 'Jane', last_name: 'Citizen', phone_number: '0411 111 111', email: 'jane@example.com', organization_name: 'Acme Pty Ltd', custom_1: 'Gold' },
      errors: { email: 'Not a valid email address.' },
    },
    { ...none, lists: [] },
    { ...none, lists },
  ],
  confirm: [
    {
      title: 'Post this letter?',
      intro: 'ClickSend will print and post it. This cannot be undone once confirmed.',
      facts: [
        { title: 'To', value: 'Jane Citizen, 42 Wallaby Way, Sydney NSW 2000, AU' },
        { title: 'Pages', value: '2, colour, single-sided' },
        { title: 'Return address', value: 'Head office, 1 George St, Sydney NSW 2000' },
        { title: 'Post', value: 'Priority' },
      ],
      price: 'A$ 3.42',
      confirm: { title: 'Post letter', verb: 'letter.send', data: { quote: 'q-5f2a' }, style: 'positive' },
      cancel: { title: 'Cancel', verb: 'cancel' },
    },
    {
      title: 'Delete the list "Newsletter"?',
      intro: 'Its 8,930 contacts are deleted with it.',
      facts: [],
      confirm: { title: 'Delete list', verb: 'list.delete', data: { list_id: '2218' }, style: 'destructive' },
      cancel: { title: 'Keep it', verb: 'cancel' },
    },
  ],
  'send-result': [
    {
      title: '2 of 3 SMS sent',
      unitLabel: 'parts',
      summary: 'Delivered 1 · Failed 1 · Pending 1',
      more: 'and 980 more recipients',
      retry: { title: 'Retry failed', verb: 'retry.sms', data: { sendId: '5f0c7a52-3f0e-4c39-9d43-6a1e0f8b2c11' } },
      rows: [
        { recipient: '+61411111111', messageId: 'BF7AD270-0DE2-418B-B606-71D527D9C1AE', status: 'Queued', ok: true, units: '1', price: 'A$ 0.077' },
        { recipient: '+61422222222', messageId: '1E5C1D3A-2B6B-4A8C-9A63-0D7D3C3B7E11', status: 'Queued', ok: true, units: '2', price: 'A$ 0.154' },
        { recipient: '+61433333333', messageId: '', status: 'Failed', ok: false, units: '0', price: 'A$ 0.00' },
      ],
      totals: { count: '3', accepted: '2', price: 'A$ 0.231' },
      failures: [{ recipient: '+61433333333', code: 'COUNTRY_NOT_ENABLED', message: 'Sending to this country is not enabled on your account.' }],
    },
    {
      title: 'Fax sent',
      unitLabel: 'pages',
      rows: [{ recipient: '+61291111111', messageId: '4C2F8E4B-1111-4ABC-8DEF-0123456789AB', status: 'Queued', ok: true, units: '3', price: 'A$ 0.60' }],
      totals: { count: '1', accepted: '1', price: 'A$ 0.60' },
      failures: [],
    },
    {
      title: '970 of 1000 SMS sent',
      unitLabel: 'parts',
      summary: 'Delivered 940 · Failed 30 · Pending 30',
      more: 'and 999 more recipients, all in the download',
      moreFailures: 'and 29 more failed recipients, all in the download',
      download:
        'https://bridge.example.com/exports/send.csv?send=5f0c7a52-3f0e-4c39-9d43-6a1e0f8b2c11&expires=1795860000000&sig=q3V0_fL8m-2dXk9Hc1eYtB6wZ4aNpR7sJ0uGiO5lTyE',
      retry: { title: 'Retry 30 failed', verb: 'retry.sms', data: { sendId: '5f0c7a52-3f0e-4c39-9d43-6a1e0f8b2c11' } },
      rows: [{ recipient: '+61410000000', messageId: '', status: 'Failed', ok: false, units: '1', price: 'A$ 0.077' }],
      totals: { count: '1000', accepted: '970', price: 'A$ 77.00' },
      failures: [{ recipient: '+61410000000', code: 'Failed', message: 'Number disconnected' }],
    },
  ],
  lists: [
    {
      title: 'Contact lists',
      rows: [
        { listId: '2217', name: 'VIP customers', contacts: '1,204', open: { title: 'Open', verb: 'contacts.show', data: { list_id: '2217' } } },
        { listId: '2218', name: 'Newsletter', contacts: '8,930', open: { title: 'Open', verb: 'contacts.show', data: { list_id: '2218' } } },
        { listId: '2301', name: 'Sydney store', contacts: '57', open: { title: 'Open', verb: 'contacts.show', data: { list_id: '2301' } } },
      ],
      pageText: 'Page 2 of 4 · 36 lists',
      previous: { title: 'Previous', verb: 'lists.show', data: { page: 1 } },
      next: { title: 'Next', verb: 'lists.show', data: { page: 3 } },
      newList: { title: 'New list', verb: 'form.open', data: { form: 'list' } },
    },
    { title: 'Contact lists', rows: [], pageText: 'No lists match “vip”.', newList: { title: 'New list', verb: 'form.open', data: { form: 'list' } } },
  ],
  contacts: [
    {
      title: 'VIP customers',
      rows: [
        { contactId: '9001', name: 'Jane Citizen', phone: '+61411111111', email: 'jane@example.com', remove: { title: 'Remove', verb: 'contact.delete.ask', data: { list_id: '2217', contact_id: '9001' }, style: 'destructive' } },
        { contactId: '9002', name: 'Sam O’Brien', phone: '+61422222222', email: '', remove: { title: 'Remove', verb: 'contact.delete.ask', data: { list_id: '2217', contact_id: '9002' }, style: 'destructive' } },
        { contactId: '9003', name: 'Priya Natarajan-Whitfield', phone: '', email: 'priya.natarajan-whitfield@example.com.au', remove: { title: 'Remove', verb: 'contact.delete.ask', data: { list_id: '2217', contact_id: '9003' }, style: 'destructive' } },
      ],
      pageText: 'Page 1 of 41 · 1,204 contacts',
      next: { title: 'Next', verb: 'contacts.show', data: { list_id: '2217', page: 2 } },
      addContact: { title: 'Add contact', verb: 'form.open', data: { form: 'contact', list_id: '2217' } },
    },
    { title: 'Sydney store', rows: [], pageText: '', addContact: { title: 'Add contact', verb: 'form.open', data: { form: 'contact' } } },
  ],
  done: [
    {
      title: 'List created',
      message: 'The list "VIP customers" is ready. Add contacts one by one or upload a CSV file.',
      facts: [
        { title: 'List', value: 'VIP customers' },
        { title: 'List id', value: '2217' },
      ],
      buttons: [
        { title: 'Add contact', verb: 'form.open', data: { form: 'contact', list_id: '2217' }, style: 'positive' },
        { title: 'Show lists', verb: 'lists.show' },
      ],
    },
    { title: 'Cancelled', message: 'Nothing was posted.', facts: [], buttons: [] },
  ],
  'inbound-sms': [
    {
      customer: '+61411111111',
      contactName: 'Jane Citizen',
      ourNumber: '+61480000000',
      messages: [{ text: 'Is the 3pm slot still free?', time: '2026-11-28T03:15:00Z' }],
      quote: 'Your appointment is tomorrow at 2pm.',
      rule: 'To text this customer, use Reply below or @mention the bot in this thread. Anything else written here stays in Teams, as a note for the team.',
      reply: { title: 'Send', verb: 'thread.reply', data: { customer: '+61411111111', ourNumber: '+61480000000' }, style: 'positive' },
    },
    {
      customer: '+61422222222',
      ourNumber: '+61480000000',
      messages: [
        { text: 'Hello?', time: '2026-11-28T03:15:00Z' },
        { text: hostileText.markdown, time: '2026-11-28T03:15:05Z' },
        { text: 'STOP', time: '2026-11-28T03:15:09Z' },
      ],
      optedOut: true,
      notice: { text: 'The customer opted out: nothing more can be sent to this number until they text START.', color: 'attention' },
      repeatNote: 'This may repeat a card posted just before: Teams did not confirm that one, so the bridge posted it again.',
    },
    {
      customer: '+61422222222',
      ourNumber: '+61480000000',
      messages: [{ text: 'START', time: '2026-11-29T08:00:00Z' }],
      notice: { text: 'The customer opted back in: texts can be sent again.', color: 'good' },
      reply: { title: 'Send', verb: 'thread.reply', data: { customer: '+61422222222', ourNumber: '+61480000000' } },
    },
  ],
  'outbound-sms': [
    {
      customer: '+61411111111',
      ourNumber: '+61480000000',
      text: 'Yes, 3pm is free. See you then!',
      sentBy: 'Ada Lovelace',
      status: 'Delivered',
      statusColor: 'good',
      cost: '1 part · $0.0792 AUD',
      messageId: 'BF7AD270-0DE2-418B-B606-71D527D9C1AE',
    },
    {
      customer: '+61422222222',
      ourNumber: '+61480000000',
      text: hostileText.template,
      sentBy: 'Ada Lovelace',
      status: 'Failed',
      statusColor: 'attention',
      detail: 'Number disconnected',
      repeatNote: 'This may repeat a card posted just before: Teams did not confirm that one, so the bridge posted it again.',
      messageId: 'BF7AD270-0DE2-418B-B606-71D527D9C1AF',
    },
  ],
  links: [
    {
      rows: [
        { number: '+61480000000', channel: 'this channel' },
        { number: 'all other numbers', channel: '19:support@thread.tacv2', problem: '3 post(s) could not be delivered: the bot was removed' },
      ],
      note: '',
    },
    { rows: [], note: 'No number is linked yet: type link <number> in the channel that should get its texts.' },
  ],
  audit: [
    {
      title: 'Audit: the last 7 days',
      summary: '3 entries since 21 Nov 2026, 10:00 UTC. The attached CSV has every entry.',
      totals: [
        { title: 'Spent', value: '$0.3080 AUD' },
        { title: 'sms.send', value: '2 (4 recipients)' },
        { title: 'link', value: '1' },
      ],
      rows: [
        { at: '28 Nov 09:12', who: 'Ada Admin', action: 'sms.send', recipients: '2', price: '$0.1540 AUD' },
        { at: '28 Nov 09:30', who: 'Ada Admin', action: 'link', recipients: '0', price: '' },
      ],
      note: '',
      download: 'https://bridge.example.com/exports/audit.csv?since=1&until=2&expires=3&sig=abc',
    },
    { title: 'Audit: the last 1 day', summary: 'Nothing was sent or changed since 27 Nov 2026, 10:00 UTC.', totals: [], rows: [], note: '' },
  ],
};

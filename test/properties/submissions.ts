import fc from 'fast-check';
import { POSTAL_ADDRESS } from '../helpers/postal.js';

/** Card submissions that every send form must refuse: a valid submission with inputs broken. */

export type Data = Record<string, unknown>;

const address: Data = { ...POSTAL_ADDRESS, return_address_id: '4' };

/** Verb -> what Teams submits for a form filled in correctly. */
export const VALID: Readonly<Record<string, Data>> = {
  'sms.send': { to: '+61411111111', body: 'Your order is ready', custom_string: 'ref-1' },
  'mms.send': { to: '+61411111111', subject: 'Plan', body: 'See attached', media_file: 'https://files.example.com/a.jpg' },
  'voice.send': { to: '+61411111111', body: 'Your code is 1 2 3', lang: 'en-au', voice: 'female', require_input: '0', machine_detection: '0' },
  'fax.send': { to: '+61261111111', file_url: 'https://files.example.com/doc.pdf' },
  'letter.price': { file_url: 'https://files.example.com/doc.pdf', colour: '0', duplex: '0', ...address },
  'letter.send': { file_url: 'https://files.example.com/doc.pdf', colour: '0', duplex: '0', confirmed: '1', ...address },
  'postcard.price': { file_urls: 'https://files.example.com/front.pdf https://files.example.com/back.pdf', ...address },
  'postcard.send': { file_urls: 'https://files.example.com/front.pdf', confirmed: '1', ...address },
  'list.create': { list_name: 'Customers' },
  'contact.create': { list_id: '428', phone_number: '+61411111111', first_name: 'Ada' },
};

/** JSON types Teams never submits for a text input. */
const wrongType = fc.oneof(fc.constant(null), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }));

const badNumber = fc.oneof(
  fc.constantFrom('12', 'abc', '+0000000', '0411 111 111 111 111', '+61 411', 'call me', '++61411111111'),
  fc.stringMatching(/^[a-z]{1,10}$/),
  wrongType.filter((v) => v !== null),
);

const badText = fc.oneof(fc.constantFrom('', '   ', 'x'.repeat(10_000)), wrongType.filter((v) => v !== null));

export const BAD_URLS = [
  '',
  'http://files.example.com/a.pdf',
  'ftp://files.example.com/a.pdf',
  'javascript:alert(1)',
  'https://user:pw@files.example.com/a.pdf',
  `https://files.example.com/${'a'.repeat(2_100)}`,
  'files.example.com/a.pdf',
  'https://',
];
const badUrl = fc.oneof(fc.constantFrom(...BAD_URLS), wrongType);

const badId = fc.oneof(fc.constantFrom('', 'abc', '-1', '0', '1.5', 'list:1'), wrongType);
const badFlag = fc.oneof(fc.constantFrom('', '2', 'yes', 'colour'), fc.integer({ min: 2 }), fc.constant(null));

/** Input id -> values it must refuse. */
const BREAKERS: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  to: badNumber,
  phone_number: badNumber,
  body: badText,
  subject: fc.oneof(fc.constantFrom('', 'x'.repeat(21)), wrongType.filter((v) => v !== null)),
  custom_string: fc.oneof(fc.constant('c'.repeat(4_097)), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 })),
  media_file: badUrl,
  file_url: badUrl,
  file_urls: fc.oneof(badUrl, fc.constant('https://a.example/1.pdf https://a.example/2.pdf https://a.example/3.pdf')),
  lang: fc.oneof(fc.constantFrom('', 'english please', 'x'), wrongType),
  voice: fc.oneof(fc.constantFrom('', 'robot'), wrongType),
  colour: badFlag,
  duplex: badFlag,
  address_country: fc.oneof(fc.constantFrom('', 'AUS', '1', 'A'), wrongType),
  address_name: fc.oneof(fc.constantFrom('', '  '), wrongType.filter((v) => v !== null)),
  return_address_id: badId,
  list_id: badId,
  list_name: fc.oneof(fc.constantFrom('', '   ', 'n'.repeat(101)), wrongType),
};

const KNOWN = new Set(['verb', 'confirmed', 'form', 'values', 'page', ...Object.keys(BREAKERS), ...Object.values(VALID).flatMap(Object.keys)]);

/** Inputs no form has, holding anything: a tampered or foreign card. */
const unknownKeys = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KNOWN.has(k) && k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });

/** For `verb`: its valid submission with 1 to 3 of its own inputs broken, plus unknown inputs. */
export const invalidSubmission = (verb: string): fc.Arbitrary<{ data: Data; broken: string[] }> => {
  const valid = VALID[verb]!;
  const breakable = Object.keys(valid).filter((key) => key in BREAKERS);
  return fc
    .tuple(fc.subarray(breakable, { minLength: 1, maxLength: Math.min(3, breakable.length) }), unknownKeys)
    .chain(([broken, extra]) =>
      fc.tuple(...broken.map((key) => BREAKERS[key]!)).map((values) => {
        const data: Data = { ...extra, ...valid };
        broken.forEach((key, i) => {
          data[key] = values[i];
        });
        return { data, broken };
      }),
    );
};

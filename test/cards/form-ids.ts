import type { CardName } from '../../src/cards/types.js';

const address = ['address_line_1', 'address_line_2', 'address_city', 'address_state', 'address_postal_code', 'address_country'];

export const formNames = [
  'sms-form',
  'mms-form',
  'voice-form',
  'fax-form',
  'letter-form',
  'postcard-form',
  'list-form',
  'contact-form',
] as const satisfies readonly CardName[];
export type FormName = (typeof formNames)[number];

/** Each form's input ids: exactly the ClickSend parameters it fills (shared/contract.md). */
export const formInputIds = {
  'sms-form': ['to', 'list_id', 'body', 'custom_string'],
  'mms-form': ['to', 'list_id', 'subject', 'body', 'media_file', 'custom_string'],
  'voice-form': ['to', 'list_id', 'body', 'lang', 'voice', 'require_input', 'machine_detection', 'custom_string'],
  'fax-form': ['to', 'list_id', 'file_url', 'custom_string'],
  'letter-form': ['file_url', 'template_used', 'colour', 'duplex', 'priority_post', 'address_name', ...address, 'return_address_id'],
  'postcard-form': ['file_urls', 'address_name', ...address, 'return_address_id'],
  'list-form': ['list_name'],
  'contact-form': [
    'list_id',
    'first_name',
    'last_name',
    'phone_number',
    'email',
    'fax_number',
    'organization_name',
    ...address,
    'custom_1',
    'custom_2',
    'custom_3',
    'custom_4',
  ],
} as const satisfies Record<FormName, readonly string[]>;

/** The verb of each form's submit button. */
export const formVerbs: Record<FormName, string> = {
  'sms-form': 'sms.send',
  'mms-form': 'mms.send',
  'voice-form': 'voice.send',
  'fax-form': 'fax.send',
  'letter-form': 'letter.price',
  'postcard-form': 'postcard.price',
  'list-form': 'list.create',
  'contact-form': 'contact.create',
};

/** A postal address every letter and postcard form accepts (ClickSend's fields). */
export const POSTAL_ADDRESS = {
  address_name: 'Ada Lovelace',
  address_line_1: '12 Analytical St',
  address_city: 'Melbourne',
  address_state: 'VIC',
  address_postal_code: '3000',
  address_country: 'AU',
} as const;

import type { ClickSendClient } from '../clicksend/client.js';

const TTL_MS = 60 * 60 * 1000;

/** `+61 411 111 111`, `61411111111` and `+61411111111` are one number. */
const digitsOf = (number: string | undefined | null): string => (number ?? '').replace(/\D/g, '');

/**
 * The name a ClickSend contact list gives a number, for the inbound card. ClickSend's search
 * finds contacts by number too; answers are cached for an hour (a customer texts in bursts),
 * and a failed lookup only costs the card its name.
 */
export const createContactNames = (clicksend: ClickSendClient, now: () => number = Date.now) => {
  const cache = new Map<string, { at: number; name: string | undefined }>();
  return async (number: string): Promise<string | undefined> => {
    const hit = cache.get(number);
    if (hit && now() - hit.at < TTL_MS) return hit.name;
    const found = await clicksend.lists.search(number, { limit: 15 });
    // The search matches any part of a name, number or email: only this very number counts.
    const contact = found.data.find((row) => row.type === 'contact' && digitsOf(row.contact) === digitsOf(number));
    const name = contact?.name?.trim() || undefined;
    cache.set(number, { at: now(), name });
    return name;
  };
};

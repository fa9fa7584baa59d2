import { UsageError } from '../errors.js';
import type { Logger } from '../log.js';
import { ANY_NUMBER, type LinkRecord, type LinkStore, type OutboxStore, type ReleasedRows } from '../store/relay.js';

export interface LinksDeps {
  readonly store: LinkStore & Pick<OutboxStore, 'releaseWaiting' | 'releaseParked' | 'parkedFor'>;
  readonly logger: Logger;
  readonly wake?: () => void;
  readonly now?: () => Date;
}

/** The channel a link points to, as the turn that made it knows it. */
export interface ChannelPlace {
  readonly teamId: string;
  readonly channelId: string;
  readonly tenantId: string;
  readonly serviceUrl: string;
  readonly botId: string;
}

/**
 * `link`, `unlink`, `links`: which channel gets the inbound SMS of each of our numbers. A
 * number belongs to one channel; another team cannot take it over without unlinking it
 * there first. Making a link lets the SMS that waited for it go out.
 */
export const createLinks = (deps: LinksDeps) => {
  const log = deps.logger.child({ module: 'links' });
  const now = deps.now ?? (() => new Date());
  return {
    /** `released`: the customer texts that waited for it, apart from our own cards and updates that follow them. */
    async link(number: string, place: ChannelPlace, by: string): Promise<{ released: ReleasedRows; previous?: LinkRecord }> {
      const existing = await deps.store.findLink(number);
      const previous = existing?.number === number ? existing : undefined;
      if (previous && previous.teamId !== place.teamId) {
        throw new UsageError(
          `${number === ANY_NUMBER ? 'link all' : number} is linked to a channel of another team`,
          'Unlink it there first (unlink in that channel), then link it here.',
        );
      }
      await deps.store.saveLink({ number, ...place, createdBy: by, createdAt: now() });
      // Texts that waited for a link, and posts Teams refused for good in this channel (the bot
      // may have been added back: linking again is how a team says so), go out now.
      const waiting = await deps.store.releaseWaiting(number);
      const parked = await deps.store.releaseParked(place.channelId, number);
      const released = { texts: waiting.texts + parked.texts, others: waiting.others + parked.others };
      log.info({ number, channelId: place.channelId, released }, 'number linked');
      if (released.texts + released.others > 0) deps.wake?.();
      return { released, ...(previous ? { previous } : {}) };
    },
    /** The channel texts to `number` go to now (its own link, else `link all`), if any. */
    async channelOf(number: string): Promise<string | undefined> {
      return (await deps.store.findLink(number))?.channelId;
    },
    async unlink(number: string, teamId: string): Promise<boolean> {
      const removed = await deps.store.removeLink(number, teamId);
      log.info({ number, removed }, 'number unlinked');
      return removed;
    },
    async list(teamId: string) {
      const links = await deps.store.listLinks(teamId);
      const parked = await deps.store.parkedFor([...new Set(links.map((l) => l.channelId))]);
      return { links, parked };
    },
  };
};
export type Links = ReturnType<typeof createLinks>;

import type { Feature } from '../actions/action.js';
import type { BotDeps } from '../deps.js';
import { createFormCards } from '../form-cards.js';
import { createAuditFeature } from './audit.js';
import { createContactsFeature } from './contacts.js';
import { createHelpFeature } from './help.js';
import { createListsFeature } from './lists.js';
import { createMessagingFeature } from './messaging.js';
import { createPostFeature } from './post.js';
import { createRelayFeature } from './relay.js';
import { createUploadFeature } from './upload.js';

/** Every feature of the bot, in the order help lists their commands. */
export const createFeatures = (deps: BotDeps): Feature[] => {
  const forms = createFormCards(deps);
  const features: Feature[] = [];
  features.push(
    createHelpFeature(
      deps,
      forms,
      () => features.flatMap((f) => f.commands),
      () => features.flatMap((f) => f.actions),
    ),
    createMessagingFeature(deps, forms),
    createPostFeature(deps, forms),
    createListsFeature(deps, forms),
    createContactsFeature(deps, forms),
    createUploadFeature(deps),
    createRelayFeature(deps),
    createAuditFeature(deps),
  );
  return features;
};

import { afterEach, beforeEach, describe } from 'vitest';
import type { Logger } from '../../src/log.js';
import { ANY_NUMBER } from '../../src/store/relay.js';
import type { Clock, Store } from '../../src/store/store.js';
import { describeAuditContract } from './contract-audit.js';
import { describeSendContract } from './contract-sends.js';
import { describeConversationContract } from './contract-conversations.js';
import { describeLifecycleContract } from './contract-lifecycle.js';
import { describeLinkContract } from './contract-links.js';
import { describeMessageContract } from './contract-messages.js';
import { describeOutboxContract } from './contract-outbox.js';
import { describeSubmissionContract } from './contract-submissions.js';
import { describeThreadContract } from './contract-threads.js';
import { link } from './relay-fixtures.js';

export interface OpenOptions {
  readonly logger?: Logger;
  readonly now?: Clock;
}

/** One database for one test, and the engine's way to open stores on it. */
export interface StoreHarness {
  /** Opens a store; with `sharesDatabase`, every call opens the same database (a second bridge instance). */
  open(options?: OpenOptions): Promise<Store>;
  /** The versions in `schema_migrations`, read without the store; undefined where nothing else can see the database (`:memory:`). */
  readonly recordedVersions?: () => Promise<number[]>;
  /** Deletes the database (file, schema) after the test. */
  dispose(): Promise<void>;
}

export interface StoreEngineUnderTest {
  /** Whether two `open` calls of one harness reach the same database. */
  readonly sharesDatabase: boolean;
  createHarness(): Promise<StoreHarness>;
}

/** What each part of the contract gets: stores opened here are closed after each test. */
export interface ContractContext {
  readonly sharesDatabase: boolean;
  open(options?: OpenOptions): Promise<Store>;
  /** Opens a store in which every number is linked (`*`): its inbound SMS are queued to be posted, not to wait. */
  openLinked(options?: OpenOptions): Promise<Store>;
  harness(): StoreHarness;
}

/**
 * The behaviour every `Store` engine must have. Each engine's test file calls this once per
 * configuration; nothing here knows which engine it runs against.
 */
export const describeStoreContract = (name: string, engine: StoreEngineUnderTest): void => {
  describe(`Store contract: ${name}`, () => {
    let current: StoreHarness | undefined;
    const opened: Store[] = [];

    beforeEach(async () => {
      current = await engine.createHarness();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await current?.dispose();
      current = undefined;
    });

    const harness = (): StoreHarness => {
      if (!current) throw new Error('the harness is only available inside a test');
      return current;
    };

    const context: ContractContext = {
      sharesDatabase: engine.sharesDatabase,
      harness,
      async open(options) {
        const store = await harness().open(options);
        opened.push(store);
        return store;
      },
      async openLinked(options) {
        const store = await context.open(options);
        await store.saveLink(link(ANY_NUMBER));
        return store;
      },
    };

    describeLifecycleContract(context);
    describeConversationContract(context);
    describeSubmissionContract(context);
    describeLinkContract(context);
    describeThreadContract(context);
    describeMessageContract(context);
    describeOutboxContract(context);
    describeAuditContract(context);
    describeSendContract(context);
  });
};


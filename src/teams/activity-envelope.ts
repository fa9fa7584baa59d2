import { z } from 'zod';

/**
 * The parts of a Bot Framework activity that botbuilder and our handler read without checking
 * them first. Teams always sends them, typed like this; a body that breaks them is refused 400
 * before botbuilder sees it, where it would otherwise throw (a 500) or answer 501. Everything
 * else passes through untouched (`looseObject`): the handler reads it defensively.
 */

const nonEmpty = z.string().min(1);
const optionalString = z.string().optional();

const Account = z.looseObject({ id: nonEmpty, name: optionalString, aadObjectId: optionalString });

const isHttpUrl = (value: string): boolean => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

/** An ISO time as Teams writes it; botbuilder turns it into a Date without checking. */
const timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 time')
  .optional();

const IdHolder = z.looseObject({ id: nonEmpty });

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * botbuilder reads `value.action.type` of an `adaptiveCard/action` invoke before any check of
 * its own: anything but an object there is a TypeError, which Teams would see as a 501.
 */
const checkCardAction = (activity: { type: string; name?: string | undefined; value?: unknown }, ctx: z.RefinementCtx): void => {
  if (activity.type !== 'invoke' || activity.name !== 'adaptiveCard/action') return;
  if (!isRecord(activity.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: 'expected the card action object' });
  else if (!isRecord(activity.value.action)) ctx.addIssue({ code: 'custom', path: ['value', 'action'], message: 'expected the Action.Execute object' });
};

/**
 * botbuilder strips the bot's @mention by reading `mentioned.id` of every mention entity and
 * then editing `text`: a mention without them is a TypeError in the middle of the turn.
 */
const checkMentions = (activity: { text?: string | undefined; entities?: readonly Record<string, unknown>[] | undefined }, ctx: z.RefinementCtx): void => {
  (activity.entities ?? []).forEach((entity, index) => {
    if (String(entity.type).toLowerCase() !== 'mention') return;
    const mentioned = entity.mentioned;
    if (!isRecord(mentioned) || typeof mentioned.id !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['entities', index, 'mentioned'], message: 'expected the mentioned account' });
    }
    if (typeof entity.text !== 'string' || typeof activity.text !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['entities', index, 'text'], message: 'expected the mention text in the message text' });
    }
  });
};

const ActivityEnvelopeSchema = z.looseObject({
  type: nonEmpty,
  id: optionalString,
  channelId: nonEmpty,
  serviceUrl: z.string().refine(isHttpUrl, 'expected the http(s) URL of the Bot Connector'),
  from: Account,
  recipient: Account,
  conversation: z.looseObject({
    id: nonEmpty,
    conversationType: optionalString,
    tenantId: optionalString,
    isGroup: z.boolean().optional(),
  }),
  timestamp,
  localTimestamp: timestamp,
  expiration: timestamp,
  text: optionalString,
  textFormat: optionalString,
  locale: optionalString,
  replyToId: optionalString,
  name: optionalString,
  // botbuilder lower-cases every entity's type to find mentions.
  entities: z.array(z.looseObject({ type: nonEmpty })).optional(),
  attachments: z.array(z.looseObject({ contentType: optionalString, contentUrl: optionalString, name: optionalString })).optional(),
  membersAdded: z.array(Account).optional(),
  membersRemoved: z.array(Account).optional(),
  channelData: z
    .looseObject({
      tenant: IdHolder.optional(),
      team: IdHolder.optional(),
      channel: IdHolder.optional(),
      eventType: optionalString,
    })
    .optional(),
  value: z.unknown().optional(),
})
  .superRefine(checkCardAction)
  .superRefine(checkMentions);

export interface ActivityIssue {
  readonly path: string;
  readonly message: string;
}

/** What is wrong with a parsed body as an activity (at most 10 issues), or an empty list. */
export const activityIssuesOf = (body: unknown): ActivityIssue[] => {
  const parsed = ActivityEnvelopeSchema.safeParse(body);
  if (parsed.success) return [];
  return parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
};

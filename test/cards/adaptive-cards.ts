import { createRequire } from 'node:module';

/*
 * The `adaptivecards` renderer's `lib/` build does not load in Node; its UMD bundle does, without
 * a DOM (see shared/spec/teams.md). Its types are those of the package.
 */
type AdaptiveCardsModule = typeof import('adaptivecards');
const load = createRequire(import.meta.url);
// The UMD bundle has no typings of its own: it exports what the package's `lib/` declares.
export const AC = load('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

export interface CardProblem {
  readonly phase: 'parse' | 'validate';
  readonly event: string;
  readonly message: string;
}

/**
 * Parses `card` as the Teams client would (Adaptive Cards 1.5) and returns every event the
 * renderer logs while parsing (unknown elements or actions, bad values, unsupported version)
 * and while validating the parsed card (empty choice sets, required inputs without a label
 * or error message, duplicate ids).
 */
export const checkAdaptiveCard = (card: unknown): CardProblem[] => {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(card, context);
  const problems: CardProblem[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    problems.push({ phase: 'parse', event: AC.ValidationEvent[event.event], message: event.message });
  }
  for (const event of parsed.validateProperties().validationEvents) {
    problems.push({ phase: 'validate', event: AC.ValidationEvent[event.event], message: event.message });
  }
  return problems;
};

/** Values the renderer leaves out of `toJSON()` because they are the defaults. */
const isDefaultValue = (key: string, value: unknown): boolean =>
  value === false ||
  value === '' ||
  (typeof value === 'string' && ['default', 'compact'].includes(value.toLowerCase())) ||
  (Array.isArray(value) && value.length === 0) ||
  (value === true && ['isVisible', 'firstRowAsHeader'].includes(key));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const dropped = (source: unknown, kept: unknown, path: string, out: string[]): void => {
  if (Array.isArray(source)) {
    source.forEach((item, i) => dropped(item, Array.isArray(kept) ? kept[i] : undefined, `${path}[${i}]`, out));
    return;
  }
  if (!isRecord(source)) return;
  for (const [key, value] of Object.entries(source)) {
    const keptValue = isRecord(kept) ? kept[key] : undefined;
    if (keptValue === undefined && !isDefaultValue(key, value)) out.push(`${path}.${key}`);
    else dropped(value, keptValue, `${path}.${key}`, out);
  }
};

/**
 * Properties the renderer does not know (a misspelt `colour`, a 1.6 property): parsing drops
 * them silently, so they show up as the difference between the card and its round trip.
 * `msteams` is Teams' own extension and is not part of the Adaptive Cards schema.
 */
export const unknownProperties = (card: Record<string, unknown>): string[] => {
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, new AC.SerializationContext(AC.Versions.v1_5));
  const { msteams: _teamsOnly, ...standard } = card;
  const out: string[] = [];
  dropped(standard, parsed.toJSON(), '$', out);
  return out;
};

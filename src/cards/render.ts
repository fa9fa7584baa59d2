import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// The package's index also re-exports JSONSchemaCard, whose typings import
// 'adaptivecards/src/schema': with the adaptivecards renderer installed (a dev dependency) tsc then
// type-checks that package's TypeScript sources and fails. The engine alone has clean typings.
import { Template } from 'adaptivecards-templating/lib/template-engine.js';
import { z } from 'zod';
import { packageRoot } from '../package-root.js';
import { cardNames } from './card-names.js';
import { guardData } from './data-guard.js';
import { CardRenderError } from './errors.js';
import type { AdaptiveCardJson, CardData, CardName } from './types.js';

/** Teams refuses bot messages near 100 KB; stay well below with room for the activity around it. */
export const MAX_CARD_BYTES = 80 * 1024;

export interface CardRendererOptions {
  /** Folder holding `<name>.json` for every card; defaults to `cards/` at the package root. */
  readonly dir?: string;
}

export interface CardRenderer {
  render<N extends CardName>(name: N, data: CardData[N]): AdaptiveCardJson;
}

export interface CardAttachment {
  readonly contentType: 'application/vnd.microsoft.card.adaptive';
  readonly content: AdaptiveCardJson;
}

const CardJsonSchema = z.looseObject({ type: z.literal('AdaptiveCard'), version: z.string() });

const defaultDir = (): string => join(packageRoot(), 'cards');

/** A template's JSON, read and checked at start so that a missing or broken file fails early. */
const readTemplate = (dir: string, name: CardName): object => {
  const file = join(dir, `${name}.json`);
  try {
    return CardJsonSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (cause) {
    throw new CardRenderError({ card: name, problem: 'bad-template', message: `cannot load ${file}`, cause });
  }
};

const expand = (name: CardName, template: Template, data: unknown): unknown => {
  try {
    return template.expand({ $root: data });
  } catch (cause) {
    throw new CardRenderError({ card: name, problem: 'bad-template', message: 'the template failed to expand', cause });
  }
};

/** The `${...}` expressions left in an expansion: the template's, since user text is tokenised. */
const unboundExpressions = (expanded: unknown): string[] => [
  ...new Set(JSON.stringify(expanded).match(/\$\{[^}"]{0,80}\}?/g) ?? []),
];

/**
 * Builds the Adaptive Cards of `cards/`: expands a template with its `CardData`, refuses a
 * result with an unbound field or above `MAX_CARD_BYTES`, and inserts every data string
 * literally (Markdown-escaped where Teams renders Markdown). Templates are read once, here,
 * and compiled on first use.
 */
export const createCardRenderer = (options: CardRendererOptions = {}): CardRenderer => {
  const dir = options.dir ?? defaultDir();
  const sources = new Map<CardName, object>(cardNames.map((name) => [name, readTemplate(dir, name)]));
  // Building a Template parses its expressions with an ANTLR parser: about a sixth of the
  // bridge's start-up CPU for all cards at once (docs/performance.md), so each is built when
  // its card is first rendered.
  const templates = new Map<CardName, Template>();
  const templateOf = (name: CardName): Template => {
    const built = templates.get(name);
    if (built) return built;
    const source = sources.get(name);
    if (source === undefined) throw new CardRenderError({ card: name, problem: 'bad-template', message: 'no such card' });
    const template = new Template(source);
    templates.set(name, template);
    return template;
  };

  const render = <N extends CardName>(name: N, data: CardData[N]): AdaptiveCardJson => {
    const template = templateOf(name);
    const guarded = guardData(data);
    const expanded = expand(name, template, guarded.data);
    const unbound = unboundExpressions(expanded);
    if (unbound.length > 0) {
      throw new CardRenderError({
        card: name,
        problem: 'unbound-field',
        message: `the data has no value for ${unbound.slice(0, 5).join(', ')}`,
      });
    }
    const parsed = CardJsonSchema.safeParse(guarded.restore(expanded));
    if (!parsed.success) {
      throw new CardRenderError({ card: name, problem: 'bad-template', message: 'did not expand to an AdaptiveCard', cause: parsed.error });
    }
    const bytes = Buffer.byteLength(JSON.stringify(parsed.data), 'utf8');
    if (bytes >= MAX_CARD_BYTES) {
      throw new CardRenderError({
        card: name,
        problem: 'too-large',
        message: `${bytes} bytes, at or above our limit of ${MAX_CARD_BYTES} (Teams refuses messages near 100 KB)`,
      });
    }
    return parsed.data;
  };

  return { render };
};

export const toAttachment = (card: AdaptiveCardJson): CardAttachment => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: card,
});

/** Helpers that look into rendered cards the way the tests need. */

export type Json = Record<string, unknown>;

export const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every object in `node`, depth first, with the property name it sits under. */
export const objectsIn = (node: unknown, under = ''): { object: Json; under: string }[] => {
  if (Array.isArray(node)) return node.flatMap((item) => objectsIn(item, under));
  if (!isRecord(node)) return [];
  return [{ object: node, under }, ...Object.entries(node).flatMap(([key, value]) => objectsIn(value, key))];
};

/** Every string in `node`. */
export const stringsIn = (node: unknown): string[] => {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringsIn);
  if (isRecord(node)) return Object.values(node).flatMap(stringsIn);
  return [];
};

export const elementsOfType = (card: unknown, type: string): Json[] =>
  objectsIn(card)
    .map(({ object }) => object)
    .filter((object) => object['type'] === type);

export const inputsOf = (card: unknown): Json[] =>
  objectsIn(card)
    .map(({ object }) => object)
    .filter((object) => typeof object['type'] === 'string' && object['type'].startsWith('Input.'));

export const inputIdsOf = (card: unknown): string[] => inputsOf(card).map((input) => String(input['id']));

export const inputById = (card: unknown, id: string): Json | undefined => inputsOf(card).find((input) => input['id'] === id);

export const executeActionsOf = (card: unknown): Json[] => elementsOfType(card, 'Action.Execute');

/** The texts Teams shows through Markdown: TextBlock texts and the titles and values of facts. */
export const markdownTextsOf = (card: unknown): string[] => [
  ...elementsOfType(card, 'TextBlock').map((block) => String(block['text'])),
  ...elementsOfType(card, 'FactSet').flatMap((set) =>
    (Array.isArray(set['facts']) ? set['facts'] : []).flatMap((fact: unknown) =>
      isRecord(fact) ? [String(fact['title']), String(fact['value'])] : [],
    ),
  ),
];

export const textBlocksOf = (card: unknown): Json[] => elementsOfType(card, 'TextBlock');

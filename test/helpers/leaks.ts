/**
 * Looks for secrets, phone numbers and texts in what a process wrote, in every form they could
 * take there: as they are, URL-encoded, JSON-escaped, and inside any base64 run (a Basic
 * `Authorization` header is `base64(username:apiKey)`), decoded whatever its alignment.
 */

const BASE64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;

/** Every base64 (and base64url) run of `text` decoded, at each of its three byte alignments. */
const decodedRuns = (text: string): string[] =>
  [...text.matchAll(BASE64_RUN)].flatMap(([run]) =>
    [0, 1, 2, 3].flatMap((skip) => {
      const part = run.slice(skip).replace(/=+$/, '');
      return [Buffer.from(part, 'base64').toString('latin1'), Buffer.from(part, 'base64url').toString('latin1')];
    }),
  );

/** The ways `value` may be written in a JSON log line. */
const plainForms = (value: string): string[] => [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];

/**
 * The names of the `secrets` found in `text`, with the form each was found in. A secret inside a
 * base64 run counts when a run decodes to text holding it (or holding its middle, which does not
 * depend on how the run was cut).
 */
export const findSecrets = (text: string, secrets: Record<string, string>): string[] => {
  const decoded = decodedRuns(text).join('\n');
  return Object.entries(secrets).flatMap(([name, value]) => {
    const found = plainForms(value).filter((form) => text.includes(form)).map((form) => `${name} as ${JSON.stringify(form)}`);
    const middle = value.slice(2, -2);
    if (decoded.includes(middle)) found.push(`${name} in base64`);
    return found;
  });
};

/** An Australian number in the forms people and systems write it: +61..., 61..., 04..., spaced, %2B-encoded. */
export const phoneForms = (e164: string): string[] => {
  const digits = e164.slice(1);
  const national = `0${digits.slice(2)}`;
  return [e164, digits, national, `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`, `%2B${digits}`];
};

/** The phone numbers (any form) and texts found in `text`. */
export const findPersonalData = (text: string, numbers: readonly string[], texts: readonly string[]): string[] => [
  ...numbers.flatMap((n) => phoneForms(n).filter((form) => text.includes(form))),
  ...texts.filter((t) => text.includes(t) || text.includes(encodeURIComponent(t)) || text.includes(t.replace(/ /g, '+'))),
];

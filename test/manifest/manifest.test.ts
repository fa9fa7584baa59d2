import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';
import { buildManifestPackage, ManifestError, readPngSize, verifyManifest, type ManifestPackage } from '../../src/tools/build-manifest.js';
import { VERSION } from '../../src/version.js';
import { ROOT } from '../helpers/process.js';
import { decodePng } from './png.js';
import { readZip, type ZipEntry } from './zip.js';

const APP_ID = '2f7c1f6e-3b5a-4c1d-9e8f-0a1b2c3d4e5f';
const PUBLIC_URL = 'https://bridge.example.com';
const SPEC_SCHEMA = resolve(ROOT, '../shared/spec/teams-manifest-v1.25.schema.json');
const VENDORED_SCHEMA = resolve(ROOT, 'manifest/schema/teams-manifest-v1.25.schema.json');
/** The command words of the contract (shared/contract.md, "Teams commands"). */
const CONTRACT_COMMANDS = [
  'help', 'sms', 'mms', 'voice', 'fax', 'letter', 'postcard', 'lists', 'list create', 'list delete',
  'contacts', 'contact add', 'contact delete', 'upload', 'link', 'unlink', 'links',
];

const Manifest = z.object({
  id: z.string(),
  version: z.string(),
  developer: z.object({ websiteUrl: z.string(), privacyUrl: z.string(), termsOfUseUrl: z.string() }),
  description: z.object({ short: z.string(), full: z.string() }),
  bots: z.tuple([
    z.object({
      botId: z.string(),
      scopes: z.array(z.string()),
      supportsFiles: z.boolean(),
      isNotificationOnly: z.boolean(),
      commandLists: z.array(
        z.object({ scopes: z.array(z.string()), commands: z.array(z.object({ title: z.string(), description: z.string() })) }),
      ),
    }),
  ]),
  validDomains: z.array(z.string()),
  webApplicationInfo: z.object({ id: z.string(), resource: z.string() }),
  authorization: z.object({
    permissions: z.object({ resourceSpecific: z.array(z.object({ name: z.string(), type: z.string() })) }),
  }),
});

let outDir: string;
let built: ManifestPackage;
let entries: ZipEntry[];
const entry = (name: string): Buffer => {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new Error(`${name} is not in app.zip`);
  return found.data;
};
const zippedManifest = (): unknown => JSON.parse(entry('manifest.json').toString('utf8'));

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'manifest-'));
  built = await buildManifestPackage({ appId: APP_ID, publicUrl: PUBLIC_URL, outDir });
  entries = readZip(await readFile(built.zipPath));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('the Teams app package', () => {
  it('writes <out>/app.zip holding exactly manifest.json, color.png and outline.png at its root', () => {
    expect(built.zipPath).toBe(join(outDir, 'app.zip'));
    expect(entries.map((e) => e.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(zippedManifest()).toEqual(built.manifest);
  });

  it('holds a manifest that the Teams v1.25 schema accepts', async () => {
    // The spec's copy when shared/ is beside the repository, else the one the builder ships
    const { $schema: _draft04, ...schema } = z
      .record(z.string(), z.unknown())
      .parse(JSON.parse(await readFile(existsSync(SPEC_SCHEMA) ? SPEC_SCHEMA : VENDORED_SCHEMA, 'utf8')));
    // Compiled synchronously with no loadSchema, so a remote $ref would throw instead of being fetched
    const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false, strictRequired: false, formats: { uri: (v: string) => URL.canParse(v) } });
    const validate = ajv.compile(schema);
    expect(validate(zippedManifest()), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('ships the spec\'s v1.25 schema unchanged', async () => {
    // The hash of ../shared/spec/teams-manifest-v1.25.schema.json, so the check holds where the spec is absent too.
    const digest = createHash('sha256').update(await readFile(VENDORED_SCHEMA)).digest('hex');
    expect(digest).toBe('393557f89b0afc5b1134794d3af64c47a56ac29d44fdf977136c8121096f1503');
    if (existsSync(SPEC_SCHEMA)) expect(await readFile(VENDORED_SCHEMA, 'utf8')).toBe(await readFile(SPEC_SCHEMA, 'utf8'));
  });

  it('fills every placeholder with the app id, the public URL and domain, and the package version', () => {
    const text = entry('manifest.json').toString('utf8');
    expect(text).not.toMatch(/\{\{|\}\}/);
    const manifest = Manifest.parse(zippedManifest());
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.version).toBe(VERSION);
    expect(manifest.validDomains).toEqual(['bridge.example.com']);
    for (const url of Object.values(manifest.developer)) expect(url.startsWith(`${PUBLIC_URL}/`)).toBe(true);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
  });

  it('offers the bot in personal chats, teams and group chats, with a command menu for each', () => {
    const [bot] = Manifest.parse(zippedManifest()).bots;
    expect(bot.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot).toMatchObject({ supportsFiles: true, isNotificationOnly: false });
    const menu = (scope: string) => bot.commandLists.filter((l) => l.scopes.includes(scope)).flatMap((l) => l.commands.map((c) => c.title));
    for (const scope of bot.scopes) expect(menu(scope).length, scope).toBeGreaterThan(0);
    for (const list of bot.commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(12);
      for (const { title, description } of list.commands) {
        expect(CONTRACT_COMMANDS).toContain(title);
        expect(description.length, title).toBeLessThanOrEqual(128); // what the Teams store validation allows
      }
    }
    expect(menu('team')).toEqual(expect.arrayContaining(['link', 'unlink', 'links']));
    expect(menu('personal')).toContain('upload');
  });

  it('asks for ChannelMessage.Read.Group and names the bot in webApplicationInfo', () => {
    const manifest = Manifest.parse(zippedManifest());
    expect(manifest.webApplicationInfo).toEqual({ id: APP_ID, resource: 'https://AnyString' });
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([{ name: 'ChannelMessage.Read.Group', type: 'Application' }]);
  });

  it('ships a 192x192 colour icon and a 32x32 white outline on a transparent background', () => {
    const color = decodePng(entry('color.png'));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(entry('outline.png'));
    expect([outline.width, outline.height, outline.colorType]).toEqual([32, 32, 6]);
    const pixels = Array.from({ length: 32 * 32 }, (_, i) => [...outline.rgba.subarray(i * 4, i * 4 + 4)]);
    const corners = [0, 31, 32 * 31, 32 * 32 - 1].map((i) => pixels[i]?.[3]);
    expect(corners).toEqual([0, 0, 0, 0]);
    const drawn = pixels.filter(([, , , alpha]) => alpha !== 0);
    expect(drawn.length).toBeGreaterThan(32);
    expect(drawn.every(([r, g, b]) => r === 255 && g === 255 && b === 255)).toBe(true);
  });
});

describe('what the builder refuses', () => {
  const build = (appId: string | undefined, publicUrl: string | undefined) => buildManifestPackage({ appId, publicUrl, outDir });

  it('refuses without an app id, naming MicrosoftAppId', async () => {
    await expect(build(undefined, PUBLIC_URL)).rejects.toThrow(ConfigError);
    await expect(build(undefined, PUBLIC_URL)).rejects.toThrow(/MicrosoftAppId: set it/);
  });

  it('refuses without a public URL, naming PUBLIC_URL', async () => {
    await expect(build(APP_ID, undefined)).rejects.toThrow(/PUBLIC_URL: set it to the public https URL/);
  });

  it('refuses an app id that is not a GUID and a PUBLIC_URL that is not https', async () => {
    const error = await build('my-bot', 'http://bridge.example.com').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/MicrosoftAppId: "my-bot" is not a GUID/);
    expect(String(error)).toMatch(/PUBLIC_URL: "http:\/\/bridge.example.com" is not an https URL/);
  });

  it('refuses a manifest that the schema rejects, naming the field', async () => {
    const schema = await readFile(VENDORED_SCHEMA, 'utf8');
    expect(() => verifyManifest({ ...built.manifest, accentColor: 'blue' }, schema)).toThrow(/\/accentColor must match pattern/);
  });

  it('reads icon sizes from the PNG header and refuses what is not a PNG', () => {
    expect(readPngSize(entry('outline.png'))).toEqual({ width: 32, height: 32 });
    expect(() => readPngSize(Buffer.from('GIF89a'), 'color.png')).toThrow(new ManifestError('color.png is not a PNG file'));
  });
});

describe('npm run manifest (dist/tools/build-manifest.js, built by npm test before vitest)', () => {
  const run = async (env: Record<string, string>, args: string[] = []) => {
    const cwd = await mkdtemp(join(tmpdir(), 'manifest-cli-')); // no .env there to read
    const script = resolve(ROOT, 'dist/tools/build-manifest.js');
    return promisify(execFile)(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr, cwd }),
      (error: unknown) => {
        const failed = z.object({ code: z.number(), stdout: z.string(), stderr: z.string() }).parse(error);
        return { code: failed.code, output: failed.stdout + failed.stderr, cwd };
      },
    );
  };

  it('writes the package to --out and prints its path', async () => {
    const target = join(outDir, 'cli');
    const result = await run({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', PUBLIC_URL: PUBLIC_URL }, ['--out', target]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.output).toContain(join(target, 'app.zip'));
    expect(readZip(await readFile(join(target, 'app.zip'))).map((e) => e.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    await rm(result.cwd, { recursive: true });
  });

  it('exits non-zero and names PUBLIC_URL when it is unset', async () => {
    const result = await run({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/PUBLIC_URL: set it/);
    expect(result.output).not.toMatch(/\n\s+at /); // no stack trace
    await rm(result.cwd, { recursive: true });
  });
});

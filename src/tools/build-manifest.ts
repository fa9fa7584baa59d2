import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Ajv } from 'ajv';
import { ZipFile } from 'yazl';
import { loadConfig } from '../config.js';
import { BridgeError, ConfigError } from '../errors.js';
import { VERSION } from '../version.js';

/**
 * Builds the Teams app package: fills manifest/manifest.json with the bot's app id, public URL
 * and version, validates it against the v1.25 schema, checks the icons, and zips the three files.
 * `npm run manifest [-- --out <dir>]` runs it with MicrosoftAppId and PUBLIC_URL from the config.
 */

/** The app package could not be built; `message` says what to fix. */
export class ManifestError extends BridgeError {
  readonly code = 'ERR_MANIFEST' as const;
}

export interface ManifestPackageOptions {
  /** `config.bot.appId`: the Azure Bot registration's app id, a GUID. */
  readonly appId: string | undefined;
  /** `config.publicUrl`: the bridge's public https base URL; its host becomes the valid domain. */
  readonly publicUrl: string | undefined;
  readonly outDir: string;
  readonly version?: string;
  /** Where manifest.json, the icons and schema/ live; the repository's manifest/ by default. */
  readonly sourceDir?: string;
}

export interface ManifestPackage {
  readonly zipPath: string;
  readonly manifest: Record<string, unknown>;
}

export const MANIFEST_DIR = fileURLToPath(new URL('../../manifest/', import.meta.url));
const SCHEMA_FILE = join('schema', 'teams-manifest-v1.25.schema.json');
const ICONS = [
  { file: 'color.png', size: 192 },
  { file: 'outline.png', size: 32 },
] as const;
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
// A fixed time stamp, so that the same inputs always give the same app.zip
const ZIP_MTIME = new Date('2025-01-01T00:00:00Z');

/** The template's placeholders; a ConfigError names each variable that is missing or wrong. */
const placeholders = (options: ManifestPackageOptions): Record<string, string> => {
  const problems: string[] = [];
  const { appId, publicUrl } = options;
  if (!appId) problems.push('MicrosoftAppId: set it to the app id of your Azure Bot registration (a GUID)');
  else if (!GUID.test(appId)) problems.push(`MicrosoftAppId: "${appId}" is not a GUID; set it to the app id of your Azure Bot registration`);
  if (!publicUrl) problems.push('PUBLIC_URL: set it to the public https URL of this bridge, e.g. https://bridge.example.com');
  else if (!URL.canParse(publicUrl) || new URL(publicUrl).protocol !== 'https:') {
    problems.push(`PUBLIC_URL: "${publicUrl}" is not an https URL; Teams only accepts https, e.g. https://bridge.example.com`);
  }
  if (problems.length > 0 || !appId || !publicUrl) throw new ConfigError(problems);
  return {
    MicrosoftAppId: appId,
    PUBLIC_URL: publicUrl.replace(/\/+$/, ''),
    PUBLIC_DOMAIN: new URL(publicUrl).host,
    VERSION: options.version ?? VERSION,
  };
};

export const fillTemplate = (template: string, values: Record<string, string>): string => {
  const filled = template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    const value = values[name];
    // Escaped as a JSON string body, so that no value can break the document's structure
    return value === undefined ? match : JSON.stringify(value).slice(1, -1);
  });
  const left = filled.match(/\{\{\w+\}\}/g);
  if (left) throw new ManifestError(`manifest.json has placeholders nothing fills: ${[...new Set(left)].join(', ')}`);
  return filled;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates against the vendored Teams schema; throws a ManifestError listing every violation. */
export const verifyManifest = (manifest: unknown, schemaText: string): Record<string, unknown> => {
  const schema: unknown = JSON.parse(schemaText);
  if (!isObject(schema)) throw new ManifestError(`${SCHEMA_FILE} is not a JSON schema`);
  // The file declares draft-04, which Ajv 8 does not ship; its keywords read the same under draft-07
  const { $schema: _draft, ...body } = schema;
  // strictTypes & co. would reject Microsoft's own schema for style, not for meaning
  const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false, strictRequired: false, formats: { uri: (v: string) => URL.canParse(v) } });
  const validate = ajv.compile(body);
  if (!validate(manifest) || !isObject(manifest)) {
    const issues = (validate.errors ?? []).map((e) => `  - ${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new ManifestError(`manifest.json does not match the Teams v1.25 schema:\n${issues.join('\n')}`);
  }
  return manifest;
};

/** Width and height from a PNG's IHDR chunk, which the format requires to come first. */
export const readPngSize = (png: Buffer, name = 'the icon'): { width: number; height: number } => {
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new ManifestError(`${name} is not a PNG file`);
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
};

const readIcon = async (sourceDir: string, file: string, size: number): Promise<Buffer> => {
  const png = await readFile(join(sourceDir, file));
  const { width, height } = readPngSize(png, file);
  if (width !== size || height !== size) throw new ManifestError(`${file} is ${width}x${height}; Teams needs ${size}x${size}`);
  return png;
};

const writeZip = async (zipPath: string, files: ReadonlyArray<readonly [string, Buffer]>): Promise<void> => {
  const zip = new ZipFile();
  for (const [name, data] of files) zip.addBuffer(data, name, { mtime: ZIP_MTIME });
  zip.end();
  await finished(zip.outputStream.pipe(createWriteStream(zipPath)));
};

export const buildManifestPackage = async (options: ManifestPackageOptions): Promise<ManifestPackage> => {
  const values = placeholders(options);
  const sourceDir = options.sourceDir ?? MANIFEST_DIR;
  const filled = fillTemplate(await readFile(join(sourceDir, 'manifest.json'), 'utf8'), values);
  const manifest = verifyManifest(JSON.parse(filled), await readFile(join(sourceDir, SCHEMA_FILE), 'utf8'));
  const icons = await Promise.all(ICONS.map(async ({ file, size }) => [file, await readIcon(sourceDir, file, size)] as const));
  await mkdir(options.outDir, { recursive: true });
  const zipPath = join(resolve(options.outDir), 'app.zip');
  await writeZip(zipPath, [['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)], ...icons]);
  return { zipPath, manifest };
};

const USAGE = 'usage: npm run manifest [-- --out <dir>]   (default: manifest/build)';

const cli = async (): Promise<number> => {
  let outDir: string;
  try {
    outDir = parseArgs({ options: { out: { type: 'string', default: 'manifest/build' } } }).values.out;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 64; // EX_USAGE
  }
  try {
    const config = loadConfig(undefined, { envFile: resolve('.env'), runtimeChecks: false });
    const { zipPath } = await buildManifestPackage({ appId: config.bot.appId, publicUrl: config.publicUrl, outDir });
    process.stdout.write(`Teams app package written to ${zipPath}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof ManifestError)) throw error;
    process.stderr.write(`Cannot build the Teams app package.\n${error.message}\n`);
    return error instanceof ConfigError ? 78 : 1; // 78: EX_CONFIG, as npm start
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await cli();
}

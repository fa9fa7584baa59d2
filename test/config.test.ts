import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../src/config-describe.js';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const noFile = { envFile: undefined };
const load = (env: Record<string, string | undefined>) => loadConfig(env, noFile);
const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
};

const TOKEN = 'a'.repeat(64);

describe('loadConfig', () => {
  it('applies every default of the contract to an empty environment', () => {
    const config = load({});
    expect(config).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      clicksend: { apiUrl: 'https://rest.clicksend.com/v3', credentials: undefined, rateLimit: { requests: 100, windowMs: 60_000 } },
      webhookToken: undefined,
      publicUrl: undefined,
      database: { kind: 'sqlite', path: 'data/bridge.sqlite' },
      defaultCountry: 'AU',
      voice: { lang: 'en-us', gender: 'female' },
      logLevel: 'info',
      bot: { appId: undefined, appType: 'MultiTenant' },
    });
  });

  it('binds to every interface by default once a Microsoft app id is set', () => {
    expect(load({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret' }).host).toBe('0.0.0.0');
  });

  it('reads every variable it is given', () => {
    const config = load({
      PORT: '8080',
      HOST: '127.0.0.1',
      CLICKSEND_USERNAME: 'user',
      CLICKSEND_API_KEY: 'key',
      CLICKSEND_API_URL: 'http://127.0.0.1:4010/v3/',
      CLICKSEND_RATE_LIMIT: '10/5s',
      WEBHOOK_TOKEN: TOKEN,
      PUBLIC_URL: 'https://bridge.example.com/',
      DATABASE_URL: 'postgres://bridge@db:5432/bridge',
      DEFAULT_COUNTRY: 'GB',
      VOICE_LANG: 'en-gb',
      VOICE_GENDER: 'male',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 8080,
      clicksend: { apiUrl: 'http://127.0.0.1:4010/v3', credentials: { username: 'user', apiKey: 'key' }, rateLimit: { requests: 10, windowMs: 5000 } },
      webhookToken: TOKEN,
      publicUrl: 'https://bridge.example.com',
      database: { kind: 'postgres', url: 'postgres://bridge@db:5432/bridge' },
      defaultCountry: 'GB',
      voice: { lang: 'en-gb', gender: 'male' },
      logLevel: 'debug',
    });
  });

  it('treats empty values as unset', () => {
    expect(load({ PORT: '', CLICKSEND_USERNAME: ' ', CLICKSEND_API_KEY: '' }).port).toBe(3978);
  });

  it('names every bad variable at once, each with how to fix it', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      HOST: 'not a host',
      CLICKSEND_API_URL: 'ftp://x',
      CLICKSEND_RATE_LIMIT: 'fast',
      WEBHOOK_TOKEN: 'short',
      PUBLIC_URL: 'bridge.example.com',
      DATABASE_URL: 'mysql://x',
      DEFAULT_COUNTRY: 'Australia',
      VOICE_LANG: 'English',
      VOICE_GENDER: 'robot',
      LOG_LEVEL: 'loud',
      MicrosoftAppType: 'Anything',
      CLICKSEND_USERNAME: 'user',
    });
    const named = problems.map((p) => p.split(':')[0]);
    for (const variable of [
      'PORT',
      'HOST',
      'CLICKSEND_API_URL',
      'CLICKSEND_RATE_LIMIT',
      'WEBHOOK_TOKEN',
      'PUBLIC_URL',
      'DATABASE_URL',
      'DEFAULT_COUNTRY',
      'VOICE_LANG',
      'VOICE_GENDER',
      'LOG_LEVEL',
      'MicrosoftAppType',
      'CLICKSEND_USERNAME and CLICKSEND_API_KEY',
    ]) {
      expect(named).toContain(variable);
    }
    for (const problem of problems) expect(problem).toMatch(/set /);
  });

  it('refuses to listen beyond loopback without a Microsoft app id', () => {
    expect(problemsOf({ HOST: '0.0.0.0' }).join('\n')).toMatch(/^HOST: without MicrosoftAppId/m);
  });

  it('asks for the app password and the tenant where the app type needs them', () => {
    const problems = problemsOf({ MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant' });
    expect(problems.join('\n')).toMatch(/MicrosoftAppPassword/);
    expect(problems.join('\n')).toMatch(/MicrosoftAppTenantId/);
  });

  it('reads a .env file, with the real environment taking precedence', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-config-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# local settings\nPORT=4000\nDEFAULT_COUNTRY=NZ\nLOG_LEVEL="debug"\n');
    const config = loadConfig({ PORT: '5000' }, { envFile: file });
    expect(config.port).toBe(5000);
    expect(config.defaultCountry).toBe('NZ');
    expect(config.logLevel).toBe('debug');
  });

  it('ignores a missing .env file', () => {
    expect(loadConfig({}, { envFile: '/nonexistent/.env' }).port).toBe(3978);
  });

  it('never shows secrets in the effective configuration it logs', () => {
    const config = load({
      CLICKSEND_USERNAME: 'user',
      CLICKSEND_API_KEY: 'very-secret-key',
      WEBHOOK_TOKEN: TOKEN,
      MicrosoftAppId: 'app',
      MicrosoftAppPassword: 'app-password-secret',
    });
    const text = JSON.stringify(describeConfig(config));
    expect(text).not.toContain('very-secret-key');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('app-password-secret');
    expect(text).toContain('"apiKey":"set"');
  });
});

describe('access, webhook and operations variables', () => {
  const ADMIN = '11111111-2222-3333-4444-555555555555';
  const TENANT = 'AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE';

  it('reads the role, tenant and caller lists, lower-casing the ids', () => {
    const config = load({
      ADMIN_USER_IDS: `${ADMIN}, ${ADMIN.replace('1', '9')}`,
      SENDER_USER_IDS: ADMIN,
      ALLOWED_TENANT_IDS: TENANT,
      WEBHOOK_ALLOWED_IPS: '203.0.113.7, 198.51.100.0/24,2001:db8::/32',
      READYZ_MAX_OUTBOX_AGE: '60',
      METRICS_TOKEN: 'm'.repeat(32),
    });
    expect(config.access).toEqual({
      adminUserIds: [ADMIN, ADMIN.replace('1', '9')],
      senderUserIds: [ADMIN],
      allowedTenantIds: [TENANT.toLowerCase()],
      openMode: true,
    });
    expect(config.webhookAllowedIps).toEqual(['203.0.113.7', '198.51.100.0/24', '2001:db8::/32']);
    expect(config.readyMaxOutboxAgeMs).toBe(60_000);
    expect(config.metricsToken).toBe('m'.repeat(32));
  });

  it('allows only the app tenant by default once one is configured, and makes nobody admin once the app is registered', () => {
    const config = load({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT });
    expect(config.access).toEqual({ allowedTenantIds: [TENANT.toLowerCase()], adminUserIds: undefined, senderUserIds: undefined, openMode: false });
    expect(load({}).access).toEqual({ allowedTenantIds: undefined, adminUserIds: undefined, senderUserIds: undefined, openMode: true });
    expect(load({}).readyMaxOutboxAgeMs).toBe(300_000);
  });

  it('names the bad entry of a list and how to write the list', () => {
    const problems = problemsOf({ ADMIN_USER_IDS: `${ADMIN},bob`, WEBHOOK_ALLOWED_IPS: '10.0.0.0/33', ALLOWED_TENANT_IDS: 'contoso', METRICS_TOKEN: 'short' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ADMIN_USER_IDS: .*"bob" is not valid/),
        expect.stringMatching(/^WEBHOOK_ALLOWED_IPS: .*"10\.0\.0\.0\/33" is not valid/),
        expect.stringMatching(/^ALLOWED_TENANT_IDS: .*"contoso"/),
        expect.stringMatching(/^METRICS_TOKEN: set METRICS_TOKEN to at least 16/),
      ]),
    );
  });

  it('trusts no proxy unless TRUST_PROXY says so, and shows the choice', () => {
    expect(load({}).trustProxy).toBe(false);
    expect(describeConfig(load({})).trustProxy).toBe(false);
    for (const on of ['true', 'TRUE', '1', 'yes', 'on']) expect(load({ TRUST_PROXY: on }).trustProxy).toBe(true);
    for (const off of ['false', '0', 'no', 'off', ' ']) expect(load({ TRUST_PROXY: off }).trustProxy).toBe(false);
    expect(describeConfig(load({ TRUST_PROXY: 'true' })).trustProxy).toBe(true);
  });

  it('refuses a TRUST_PROXY that is neither true nor false, saying what to set', () => {
    expect(problemsOf({ TRUST_PROXY: 'maybe' })).toEqual([expect.stringMatching(/^TRUST_PROXY: set TRUST_PROXY to true .* or false$/)]);
  });

  it('shows the lists in the effective configuration but never the metrics token', () => {
    const text = JSON.stringify(describeConfig(load({ ADMIN_USER_IDS: ADMIN, METRICS_TOKEN: 'secret-metrics-token-123' })));
    expect(text).toContain(ADMIN);
    expect(text).not.toContain('secret-metrics-token-123');
  });
});

// The typed readers behind the settings declaration (declaration.ts): one per group of settings
// that are parsed together. Most call the area's own reader (dms/config.ts, limits/settings.ts …),
// which stays the parser; the few settings main.ts used to read inline are parsed here. Each reader
// returns a value or one error naming the variable; check.ts turns them into the full problem list.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_MUNICIPALITY } from '../app';
import { readAttachmentSettings } from '../attachments/settings';
import { readDeviceSettings } from '../devices/settings';
import { readDmsConfig } from '../dms/config';
import { readDraftSettings } from '../drafts/settings';
import { readIdentityConfig } from '../identity/oidc/config';
import { SCIM_TOKEN_MIN_LENGTH } from '../identity/scim/scim-routes';
import { readHolidaysFile } from '../law/holidays-file';
import { readTrafficLimits } from '../limits/settings';
import { readOutboxConfig } from '../outbox/config';
import { readPdfConfig } from '../pdf/config';
import { loadLogo } from '../pdf/logo';
import { readMunicipalityContact } from '../pdf/municipality';
import { readPushSettings } from '../push/config';
import { readZaakLookupSettings } from '../zaken/settings';

export type Env = Record<string, string | undefined>;
export type ReadResult<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): ReadResult<T> => ({ ok: true, value });
const fail = <T>(error: string): ReadResult<T> => ({ ok: false, error });
const text = (env: Env, name: string): string | undefined => env[name]?.trim() || undefined;
/** Adapts an area reader's `{ok: true, …} | {ok: false, error}` to ReadResult. */
function from<R extends { ok: true }, T>(result: R | { ok: false; error: string }, pick: (r: R) => T): ReadResult<T> {
  return result.ok ? ok(pick(result)) : fail(result.error);
}

/** A whole number in [min, max]; unset or blank gives `fallback`. */
function wholeNumber(env: Env, name: string, fallback: number, min: number, max: number, unit: string): ReadResult<number> {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return ok(fallback);
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    return fail(`${name} must be a whole number (${unit}) from ${min} to ${max}, got "${raw}"`);
  }
  return ok(value);
}

function urlWithProtocol(env: Env, name: string, protocols: readonly string[], what: string): ReadResult<string | undefined> {
  const raw = text(env, name);
  if (raw === undefined) return ok(undefined);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`${name} must be ${what} (${protocols.map((p) => `${p}//…`).join(' or ')})`);
  }
  if (!protocols.includes(url.protocol) || url.hostname === '') return fail(`${name} must be ${what} (${protocols.map((p) => `${p}//…`).join(' or ')})`);
  return ok(raw);
}

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The readers, by group name; declaration.ts says which variables each one reads. */
export const READERS = {
  port: (env: Env) => wholeNumber(env, 'PORT', 8080, 0, 65535, 'port'),
  host: (env: Env): ReadResult<string> => {
    // G6: the interface to listen on; every interface by default.
    const host = text(env, 'HOST') ?? '0.0.0.0';
    return isIP(host) === 0 && host !== 'localhost' ? fail(`HOST must be an IP address (or localhost), got "${env.HOST}"`) : ok(host);
  },
  dataDir: (env: Env) => ok(resolve(env.DATA_DIR ?? './data')),
  // G7: below this much free space under DATA_DIR /api/health answers 503.
  diskMinFreeMb: (env: Env) => wholeNumber(env, 'DISK_MIN_FREE_MB', 256, 0, Number.MAX_SAFE_INTEGER, 'megabytes'),
  dms: (env: Env) => from(readDmsConfig(env, resolve(env.DATA_DIR ?? './data')), (r) => r.config),
  outboxMaxAttempts: (env: Env) => from(readOutboxConfig(env), (r) => r.timing),
  // O2: how long a claimed delivery stays taken; undefined keeps the outbox's own default.
  outboxLeaseMs: (env: Env): ReadResult<number | undefined> => {
    if (text(env, 'OUTBOX_LEASE_MS') === undefined) return ok(undefined);
    return wholeNumber(env, 'OUTBOX_LEASE_MS', 0, 1_000, 3_600_000, 'milliseconds');
  },
  traffic: (env: Env) => from(readTrafficLimits(env), (r) => r.limits),
  logo: async (env: Env) => {
    const path = text(env, 'MUNICIPALITY_LOGO');
    if (path === undefined) return ok(null);
    return from(await loadLogo(resolve(path)), (r) => r.logo);
  },
  holidays: async (env: Env) => {
    const path = text(env, 'HOLIDAYS_FILE');
    if (path === undefined) return ok([]);
    return from(await readHolidaysFile(resolve(path)), (r) => r.days);
  },
  contact: (env: Env) => from(readMunicipalityContact(env), (r) => r.contact),
  pdf: (env: Env) => {
    const result = readPdfConfig(env);
    return result.ok ? ok({ workers: result.workers, timeoutMs: result.timeoutMs }) : fail<{ workers: number; timeoutMs: number }>(result.error);
  },
  identity: (env: Env) => from(readIdentityConfig(env), (r) => r.config),
  devices: (env: Env) => from(readDeviceSettings(env), (r) => r.settings),
  attachments: (env: Env) => from(readAttachmentSettings(env), (r) => r.settings),
  push: (env: Env) => from(readPushSettings(env), (r) => r.settings),
  zaakLookup: (env: Env) => from(readZaakLookupSettings(env), (r) => r.settings),
  drafts: (env: Env) => from(readDraftSettings(env), (r) => r.settings),
  // C1: turns provisioning at /scim/v2 on; a short (guessable) one stops the start.
  scimToken: (env: Env): ReadResult<string | undefined> => {
    const token = text(env, 'SCIM_TOKEN');
    if (token !== undefined && (token.length < SCIM_TOKEN_MIN_LENGTH || /\s/.test(token))) {
      return fail(`SCIM_TOKEN must be at least ${SCIM_TOKEN_MIN_LENGTH} characters without spaces (e.g. openssl rand -base64 48)`);
    }
    return ok(token);
  },
  demoPassword: (env: Env) => ok(env.KEUKENTAFEL_DEMO_PASSWORD || undefined),
  trustProxy: (env: Env) => ok<string | false>(env.TRUST_PROXY || false),
  // Operators' /metrics: loopback only, or from anywhere with this bearer token.
  metricsToken: (env: Env) => ok(text(env, 'METRICS_TOKEN')),
  // FULL (default) syncs every commit to disk; NORMAL survives a crash of the process only.
  sqliteSynchronous: (env: Env): ReadResult<'FULL' | 'NORMAL'> => {
    const raw = (text(env, 'SQLITE_SYNCHRONOUS') ?? 'FULL').toUpperCase();
    return raw === 'FULL' || raw === 'NORMAL' ? ok(raw) : fail(`SQLITE_SYNCHRONOUS must be "FULL" or "NORMAL", got "${env.SQLITE_SYNCHRONOUS}"`);
  },
  logLevel: (env: Env): ReadResult<LogLevel> => {
    const raw = (text(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
    const level = LOG_LEVELS.find((l) => l === raw);
    return level === undefined ? fail(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`) : ok(level);
  },
  municipality: (env: Env) => ok(text(env, 'MUNICIPALITY_NAME') ?? DEFAULT_MUNICIPALITY),
  templatesDir: (env: Env) => {
    const dir = text(env, 'TEMPLATES_DIR');
    return ok(dir === undefined ? undefined : resolve(dir));
  },
  // Issue 15's engines: declared here so every setting is in one list; pg-core and cluster-state wire them.
  databaseUrl: (env: Env) => urlWithProtocol(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'a PostgreSQL URL'),
  databasePoolMax: (env: Env) => wholeNumber(env, 'DATABASE_POOL_MAX', 10, 1, 1000, 'connections'),
  redisUrl: (env: Env) => urlWithProtocol(env, 'REDIS_URL', ['redis:', 'rediss:'], 'a Redis URL'),
} as const;

export type GroupName = keyof typeof READERS;

/** The checked configuration: each group's value. */
export type ServerConfig = { [K in GroupName]: Extract<Awaited<ReturnType<(typeof READERS)[K]>>, { ok: true }>['value'] };


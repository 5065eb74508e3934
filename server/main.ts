// `npm start`: reads the outside contract's environment variables, starts the server, and
// shuts down cleanly on SIGTERM/SIGINT (commit pending updates, close sockets with 4503).
import { readDraftSettings } from './drafts/settings';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import { DEFAULT_MUNICIPALITY, startServer } from './app';
import { DataDirError } from './store/data-dir-marker';
import { readDmsConfig } from './dms/config';
import { readPdfConfig } from './pdf/config';
import { loadLogo } from './pdf/logo';
import { readHolidaysFile } from './law/holidays-file';
import { readMunicipalityContact } from './pdf/municipality';
import { readOutboxConfig } from './outbox/config';
import { readTrafficLimits } from './limits/settings';
import { SCIM_TOKEN_MIN_LENGTH } from './identity/scim/scim-routes';
import { readIdentityConfig } from './identity/oidc/config';
import { readPushSettings } from './push/config';
import { readDeviceSettings } from './devices/settings';
import { readAttachmentSettings } from './attachments/settings';
import { readZaakLookupSettings } from './zaken/settings';
import { createZgwZaakLookup } from './zaken/zaak-lookup';

const port = Number.parseInt(process.env.PORT ?? '8080', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}
// HOST (G6): the interface to listen on; every interface by default, as before.
const host = process.env.HOST?.trim() || '0.0.0.0';
if (isIP(host) === 0 && host !== 'localhost') {
  console.error(`HOST must be an IP address (or localhost), got "${process.env.HOST}"`);
  process.exit(2);
}
// DISK_MIN_FREE_MB (G7): below this much free space under DATA_DIR /api/health answers 503.
const diskEnv = process.env.DISK_MIN_FREE_MB?.trim();
const diskMinFreeMb = diskEnv ? Number(diskEnv) : 256;
if (!Number.isInteger(diskMinFreeMb) || diskMinFreeMb < 0) {
  console.error(`DISK_MIN_FREE_MB must be a whole number of megabytes (0 or more), got "${diskEnv}"`);
  process.exit(2);
}
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const dms = readDmsConfig(process.env, dataDir);
if (!dms.ok) {
  console.error(dms.error);
  process.exit(2);
}
// OUTBOX_MAX_ATTEMPTS (O4): attempts before a delivery that keeps failing is marked failed.
const outboxConfig = readOutboxConfig(process.env);
if (!outboxConfig.ok) {
  console.error(outboxConfig.error);
  process.exit(2);
}
// OUTBOX_LEASE_MS: how long a claimed delivery stays taken; an attempt cut off by a crash is looked
// up and retried once it ends (O2). The default (5 min) outlasts any attempt; the crash tests
// shorten it so a restart retries soon. With several server processes keep it above an attempt (60 s).
const leaseEnv = process.env.OUTBOX_LEASE_MS?.trim();
const leaseMs = leaseEnv ? Number(leaseEnv) : undefined;
if (leaseMs !== undefined && (!Number.isInteger(leaseMs) || leaseMs < 1_000 || leaseMs > 3_600_000)) {
  console.error(`OUTBOX_LEASE_MS must be a whole number of milliseconds from 1000 to 3600000, got "${leaseEnv}"`);
  process.exit(2);
}
// SYNC_*: the sync server's back-pressure, rates, quotas and ping/pong (L5–L9, README).
const traffic = readTrafficLimits(process.env);
if (!traffic.ok) {
  console.error(traffic.error);
  process.exit(2);
}
// MUNICIPALITY_LOGO: a PNG or JPEG for the letterhead, checked now so a wrong path stops the start.
const logoPath = process.env.MUNICIPALITY_LOGO?.trim();
const logo = logoPath ? await loadLogo(resolve(logoPath)) : null;
if (logo !== null && !logo.ok) {
  console.error(logo.error);
  process.exit(2);
}
// HOLIDAYS_FILE (J5): days designated under Atw art. 3 lid 3 after the built-in table, checked now.
const holidaysPath = process.env.HOLIDAYS_FILE?.trim();
const holidays = holidaysPath ? await readHolidaysFile(resolve(holidaysPath)) : null;
if (holidays !== null && !holidays.ok) {
  console.error(holidays.error);
  process.exit(2);
}
// MUNICIPALITY_ADDRESS, _POSTAL_ADDRESS, _PHONE, _WEBSITE: the letterhead's contact block (P6).
const contact = readMunicipalityContact(process.env);
if (!contact.ok) {
  console.error(contact.error);
  process.exit(2);
}
// PDF_WORKERS, PDF_RENDER_TIMEOUT_MS (P12): the render pool's threads and each letter's time limit.
const pdfConfig = readPdfConfig(process.env);
if (!pdfConfig.ok) {
  console.error(pdfConfig.error);
  process.exit(2);
}
// OIDC_*, LOCAL_LOGIN (I1, I8): the municipality's IdP, and whether passwords still sign in.
const identity = readIdentityConfig(process.env);
if (!identity.ok) {
  console.error(identity.error);
  process.exit(2);
}
// DEVICE_*, SCIM_DEPROVISION_WIPE (K21): the device lock's policy, the drain period and SCIM's wipe mode.
const deviceSettings = readDeviceSettings(process.env);
if (!deviceSettings.ok) {
  console.error(deviceSettings.error);
  process.exit(2);
}
// ATTACHMENT_* (F10): size, count, chunk and photo limits, and the daily upload quota per user.
const attachmentSettings = readAttachmentSettings(process.env);
if (!attachmentSettings.ok) {
  console.error(attachmentSettings.error);
  process.exit(2);
}

// PUSH_SERVICE_HOSTS, PUSH_CONTACT (Y12): where Web Push may go, and whom a push service may write to.
const pushSettings = readPushSettings(process.env);
if (!pushSettings.ok) {
  console.error(pushSettings.error);
  process.exit(2);
}

// ZAAK_LOOKUP, ZAAK_LOOKUP_TIMEOUT_MS, ZAAK_LOOKUP_PER_MINUTE (X1, X4, X5): the zaak field's look-up in the Zaken API.
const zaakLookup = readZaakLookupSettings(process.env);
if (!zaakLookup.ok) {
  console.error(zaakLookup.error);
  process.exit(2);
}

// DRAFT_RETENTION_DAYS (E5): how long a discarded concept waits for the office before it is deleted.
const draftSettings = readDraftSettings(process.env);
if (!draftSettings.ok) {
  console.error(draftSettings.error);
  process.exit(2);
}

// SCIM_TOKEN (C1): turns provisioning at /scim/v2 on; a short (guessable) one stops the start.
const scimToken = process.env.SCIM_TOKEN?.trim() || undefined;
if (scimToken !== undefined && (scimToken.length < SCIM_TOKEN_MIN_LENGTH || /\s/.test(scimToken))) {
  console.error(`SCIM_TOKEN must be at least ${SCIM_TOKEN_MIN_LENGTH} characters without spaces (e.g. openssl rand -base64 48)`);
  process.exit(2);
}

const server = await startServer({
  port,
  host,
  dataDir,
  diskMinFreeBytes: diskMinFreeMb * 1024 * 1024,
  demoPassword: process.env.KEUKENTAFEL_DEMO_PASSWORD || undefined,
  trustProxy: process.env.TRUST_PROXY || false,
  // Operators' /metrics: loopback only, or from anywhere with this bearer token.
  metricsToken: process.env.METRICS_TOKEN?.trim() || undefined,
  scimToken,
  // FULL (default) syncs every commit to disk; NORMAL survives a crash of the process but not
  // of the machine, and acknowledges faster (see the README's figures).
  sqliteSynchronous: process.env.SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL',
  logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'info',
  municipality: process.env.MUNICIPALITY_NAME?.trim() || DEFAULT_MUNICIPALITY,
  logo: logo?.logo ?? null,
  designatedDays: holidays?.days ?? [],
  contact: contact.contact,
  pdfPool: { workers: pdfConfig.workers, timeoutMs: pdfConfig.timeoutMs },
  dmsDir: dms.config.dir,
  templatesDir: process.env.TEMPLATES_DIR?.trim() ? resolve(process.env.TEMPLATES_DIR.trim()) : undefined,
  bronorganisatie: dms.config.bronorganisatie,
  dms: dms.config.adapter === 'zgw' ? dms.config.createAdapter() : undefined,
  trafficLimits: traffic.limits,
  oidc: identity.config.oidc,
  localLogin: identity.config.localLogin,
  device: deviceSettings.settings,
  attachments: attachmentSettings.settings,
  push: pushSettings.settings,
  zaakLookup:
    dms.config.adapter === 'zgw' && zaakLookup.settings.enabled ? createZgwZaakLookup({ config: dms.config.zgw, timeoutMs: zaakLookup.settings.timeoutMs }) : null,
  zaakLookupPerMinute: zaakLookup.settings.perMinute,
  draftRetentionDays: draftSettings.settings.retentionDays,
  outbox: { ...outboxConfig.timing, ...(leaseMs === undefined ? {} : { leaseMs }) },
  // REDIS_URL (CL1–CL9): several processes share rooms through this Redis; unset: one process.
  redisUrl: process.env.REDIS_URL?.trim() || undefined,
}).catch((error: unknown) => {
  // G9: a data dir that lost its database or WAL stops the start with its reason, nothing seeded.
  if (error instanceof DataDirError) {
    console.error(`Keukentafel start refused (${error.reason}): ${error.message}`);
    process.exit(3);
  }
  throw error;
});
const target = dms.config.adapter === 'zgw' ? 'DMS via de ZGW-API\'s' : `DMS-map ${dms.config.dir}`;
server.app.log.info(`Keukentafel draait op http://${host === '0.0.0.0' ? 'localhost' : host}:${server.port} (gegevens in ${dataDir}, ${target})`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.app.log.info(`${signal}: committing and closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

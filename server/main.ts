// `npm start` (scripts/start.mjs → build/server/main.js) and `npm run dev` (tsx): checks every
// setting at once (server/config/, OP4), prints the effective configuration with
// `--check-config` (OP5), starts the server, and shuts down cleanly on SIGTERM/SIGINT (commit
// pending updates, close sockets with 4503).
import { DataDirError } from './store/data-dir-marker';
import { SchemaTooNewError } from './store/schema-version';
import { startServer } from './app';
import { checkConfig, formatEffectiveConfig, formatProblems } from './config/check';
import { createZgwZaakLookup } from './zaken/zaak-lookup';

const args = process.argv.slice(2);
const unknownArgs = args.filter((a) => a !== '--check-config');
if (unknownArgs.length > 0) {
  console.error(`Unknown argument ${unknownArgs.join(' ')}; the only one is --check-config (npm start -- --check-config)`);
  process.exit(2);
}
const checkOnly = args.includes('--check-config');

const checked = await checkConfig(process.env);
for (const warning of checked.warnings) console.error(`Warning: ${warning}`);
if (checkOnly) {
  // OP5: the effective configuration, secrets masked; exit 0 when it would start, 1 when not.
  console.log(formatEffectiveConfig(process.env));
  if (!checked.ok) {
    console.error(formatProblems(checked.problems));
    process.exit(1);
  }
  console.log('Configuration OK.');
  process.exit(0);
}
if (!checked.ok) {
  console.error(`Keukentafel start refused. ${formatProblems(checked.problems)}`);
  process.exit(2);
}
const config = checked.config;
const { dataDir, host, dms } = config;

const server = await startServer({
  port: config.port,
  host,
  dataDir,
  databaseUrl: config.databaseUrl,
  databasePoolMax: config.databasePoolMax,
  diskMinFreeBytes: config.diskMinFreeMb * 1024 * 1024,
  demoPassword: config.demoPassword,
  trustProxy: config.trustProxy,
  // Operators' /metrics: loopback only, or from anywhere with this bearer token.
  metricsToken: config.metricsToken,
  scimToken: config.scimToken,
  // FULL (default) syncs every commit to disk; NORMAL survives a crash of the process but not
  // of the machine, and acknowledges faster (see the README's figures).
  sqliteSynchronous: config.sqliteSynchronous,
  logLevel: config.logLevel,
  municipality: config.municipality,
  logo: config.logo,
  designatedDays: config.holidays,
  contact: config.contact,
  pdfPool: config.pdf,
  dmsDir: dms.dir,
  templatesDir: config.templatesDir,
  bronorganisatie: dms.bronorganisatie,
  dms: dms.adapter === 'zgw' ? dms.createAdapter() : undefined,
  trafficLimits: config.traffic,
  oidc: config.identity.oidc,
  localLogin: config.identity.localLogin,
  device: config.devices,
  attachments: config.attachments,
  push: config.push,
  zaakLookup:
    dms.adapter === 'zgw' && config.zaakLookup.enabled ? createZgwZaakLookup({ config: dms.zgw, timeoutMs: config.zaakLookup.timeoutMs }) : null,
  zaakLookupPerMinute: config.zaakLookup.perMinute,
  draftRetentionDays: config.drafts.retentionDays,
  outbox: { ...config.outboxMaxAttempts, ...(config.outboxLeaseMs === undefined ? {} : { leaseMs: config.outboxLeaseMs }) },
  // REDIS_URL (CL1–CL19): several processes share rooms, revocations and limits through this Redis; unset: one process.
  redisUrl: config.redisUrl ?? undefined,
}).catch((error: unknown) => {
  // G9: a data dir that lost its database or WAL stops the start with its reason, nothing seeded.
  if (error instanceof DataDirError) {
    console.error(`Keukentafel start refused (${error.reason}): ${error.message}`);
    process.exit(3);
  }
  // OP20: a database written by a newer server is never opened for writing; both versions named.
  // Exit 5 (4 is scripts/start.mjs's missing or stale build).
  if (error instanceof SchemaTooNewError) {
    console.error(`Keukentafel start refused (${error.reason}): ${error.message}`);
    process.exit(5);
  }
  throw error;
});
const target = dms.adapter === 'zgw' ? 'DMS via de ZGW-API\'s' : `DMS-map ${dms.dir}`;
server.app.log.info(`Keukentafel draait op http://${host === '0.0.0.0' ? 'localhost' : host}:${server.port} (gegevens in ${config.databaseUrl === null ? dataDir : 'PostgreSQL'}, ${target})`);

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

// Every environment variable Keukentafel reads, declared once (OP4–OP6): its type, default, whether
// it is secret, and which reader (readers.ts) parses it. The start checks them all through this
// list, `--check-config` prints it, and a unit test keeps README's configuration table in step.
import type { GroupName } from './readers';

export interface SettingDeclaration {
  name: string;
  /** The reader that parses it at start, or 'build' for settings only `npm run build` reads. */
  group: GroupName | 'build';
  /** What a valid value looks like, for people. */
  type: string;
  /** The value used when unset, as shown to people; null when unset means "off" or "none". */
  default: string | null;
  /** Printed masked by --check-config. */
  secret: boolean;
  description: string;
}

const s = (name: string, group: GroupName | 'build', type: string, def: string | null, description: string, secret = false): SettingDeclaration => ({
  name,
  group,
  type,
  default: def,
  secret,
  description,
});

export const SETTINGS: readonly SettingDeclaration[] = [
  s('PORT', 'port', 'port 0–65535', '8080', 'HTTP and WebSocket port'),
  s('HOST', 'host', 'IP address or localhost', '0.0.0.0', 'the interface to listen on'),
  s('DATA_DIR', 'dataDir', 'path', './data', 'SQLite database, submitted snapshots, default DMS drop folder'),
  s('DATABASE_URL', 'databaseUrl', 'postgres:// URL', null, 'PostgreSQL instead of SQLite (issue 15)', true),
  s('DATABASE_POOL_MAX', 'databasePoolMax', 'whole number 1–1000', '10', 'PostgreSQL connections per server process'),
  s('REDIS_URL', 'redisUrl', 'redis:// or rediss:// URL', null, 'Redis that joins several server processes (issue 15)', true),
  s('DMS_ADAPTER', 'dms', 'filesystem | zgw', 'filesystem', 'where submitted documents are archived'),
  s('DMS_DIR', 'dms', 'path', '$DATA_DIR/dms', 'drop folder of the filesystem DMS'),
  s('ZGW_DOCUMENTEN_URL', 'dms', 'http(s) URL', null, 'ZGW Documenten API root (DMS_ADAPTER=zgw)'),
  s('ZGW_ZAKEN_URL', 'dms', 'http(s) URL', null, 'ZGW Zaken API root (DMS_ADAPTER=zgw)'),
  s('ZGW_CATALOGI_URL', 'dms', 'http(s) URL', null, 'ZGW Catalogi API root (DMS_ADAPTER=zgw)'),
  s('ZGW_CLIENT_ID', 'dms', 'text', null, 'client id of the Applicatie in the DMS (DMS_ADAPTER=zgw)'),
  s('ZGW_SECRET', 'dms', 'text', null, 'secret of the Applicatie in the DMS (DMS_ADAPTER=zgw)', true),
  s('ZGW_RSIN', 'dms', 'nine digits', null, "the municipality's RSIN (bronorganisatie)"),
  s('ZGW_INFORMATIEOBJECTTYPE', 'dms', 'http(s) URL under ZGW_CATALOGI_URL', null, 'default informatieobjecttype (DMS_ADAPTER=zgw)'),
  s('ZGW_TIMEOUT_MS', 'dms', 'whole number 100–600000', '15000', 'time limit per call to the ZGW APIs'),
  s('ZGW_CHUNK_THRESHOLD_BYTES', 'dms', 'bytes', '5242880', 'documents larger than this are uploaded in parts'),
  s('ZGW_BESLUITEN_URL', 'dms', 'http(s) URL', null, 'Besluiten API root: decisions also register their besluit'),
  s('ZGW_BESLUITTYPE', 'dms', 'http(s) URL under ZGW_CATALOGI_URL', null, 'default besluittype of decision templates'),
  s('ZAAK_LOOKUP', 'zaakLookup', 'on | off', 'on', 'look zaken up in the Zaken API (DMS_ADAPTER=zgw)'),
  s('ZAAK_LOOKUP_TIMEOUT_MS', 'zaakLookup', 'whole number 100–60000', '5000', 'time limit per zaak look-up call'),
  s('ZAAK_LOOKUP_PER_MINUTE', 'zaakLookup', 'whole number 1–10000', '60', 'zaak look-ups one user may make per minute'),
  s('OUTBOX_MAX_ATTEMPTS', 'outboxMaxAttempts', 'whole number 1–10000', '24', 'delivery attempts before a delivery is marked failed'),
  s('OUTBOX_LEASE_MS', 'outboxLeaseMs', 'whole number 1000–3600000', '300000', 'how long a claimed delivery stays taken'),
  s('MUNICIPALITY_NAME', 'municipality', 'text', 'Gemeente Voorbeeld', 'letterhead and mandate line; the app name at build time'),
  s('MUNICIPALITY_LOGO', 'logo', 'path to a PNG or RGB JPEG ≤ 2 MB', null, 'logo in the letterhead'),
  s('MUNICIPALITY_ADDRESS', 'contact', 'lines separated by commas', null, 'visiting address in the letterhead'),
  s('MUNICIPALITY_POSTAL_ADDRESS', 'contact', 'lines separated by commas', null, 'postal address in the letterhead'),
  s('MUNICIPALITY_PHONE', 'contact', 'telephone number', null, 'telephone number in the letterhead'),
  s('MUNICIPALITY_WEBSITE', 'contact', 'http(s) URL', null, 'website in the letterhead'),
  s('VITE_MUNICIPALITY_NAME', 'build', 'text', 'MUNICIPALITY_NAME', 'build time: the name in the app'),
  s('VITE_THEME_COLOR', 'build', 'CSS colour', '#1d0857', "build time: the manifest's theme colour"),
  s('HOLIDAYS_FILE', 'holidays', 'path to a text file', null, 'designated days after the built-in table (J5)'),
  s('TEMPLATES_DIR', 'templatesDir', 'path to a folder', null, "the municipality's own templates"),
  s('KEUKENTAFEL_DEMO_PASSWORD', 'demoPassword', 'text', 'random, printed once', 'password of the demo accounts on first start', true),
  s('LOG_LEVEL', 'logLevel', 'silent | error | warn | info | debug', 'info', 'server log level'),
  s('OIDC_ISSUER', 'identity', 'https URL', null, "the municipality's OpenID Connect issuer"),
  s('OIDC_CLIENT_ID', 'identity', 'text', null, "this app's client id at the IdP"),
  s('OIDC_CLIENT_SECRET', 'identity', 'text', null, 'client secret at the IdP', true),
  s('OIDC_SCOPES', 'identity', 'scopes separated by spaces, with openid', 'openid profile email', 'scopes asked for'),
  s('OIDC_ROLES_CLAIM', 'identity', 'claim name or dotted path', 'roles', "claim with the user's roles"),
  s('OIDC_TEAMS_CLAIM', 'identity', 'claim name or dotted path', 'groups', "claim with the user's groups"),
  s('OIDC_ROLE_MAP', 'identity', 'value=role pairs separated by commas', null, 'claim values to roles'),
  s('LOCAL_LOGIN', 'identity', 'on | off', 'on', 'whether usernames and passwords still sign in'),
  s('TRUST_PROXY', 'trustProxy', "the proxy's address(es)", null, 'believe X-Forwarded-For from this HTTPS proxy'),
  s('DISK_MIN_FREE_MB', 'diskMinFreeMb', 'whole number ≥ 0', '256', '/api/health answers 503 below this much free space'),
  s('METRICS_TOKEN', 'metricsToken', 'text', null, 'bearer token for /metrics from outside loopback', true),
  s('SCIM_TOKEN', 'scimToken', 'text, ≥ 32 characters', null, 'bearer token that turns SCIM provisioning on', true),
  s('DEVICE_PIN_MIN_DIGITS', 'devices', 'whole number 6–12', '6', 'shortest app PIN'),
  s('DEVICE_PIN_MAX_ATTEMPTS', 'devices', 'whole number 3–100', '10', 'wrong PINs before the device destroys its data key'),
  s('DEVICE_IDLE_LOCK_SECONDS', 'devices', 'whole number 30–86400', '300', 'the app locks after this long without input'),
  s('DEVICE_GRACE_DAYS', 'devices', 'whole number 1–365', '14', 'days offline after which a device stops unlocking'),
  s('DEVICE_GRACE_WARN_DAYS', 'devices', 'whole number 0–365', '3', 'days of warning before that'),
  s('DEVICE_DRAIN_DAYS', 'devices', 'whole number 1–365', '7', 'days a revoked device may still send its work'),
  s('SCIM_DEPROVISION_WIPE', 'devices', 'send-then-wipe | wipe-now', 'send-then-wipe', "what SCIM deprovisioning does with a leaver's devices"),
  s('PUSH_SERVICE_HOSTS', 'push', 'host names separated by commas', "the browsers' push services", 'the only hosts Web Push is sent to'),
  s('PUSH_CONTACT', 'push', 'mailto: or https: URL', 'mailto:beheer@gemeente.invalid', 'VAPID contact'),
  s('SQLITE_SYNCHRONOUS', 'sqliteSynchronous', 'FULL | NORMAL', 'FULL', 'how SQLite syncs commits to disk'),
  s('SYNC_SEND_QUEUE_SOFT_BYTES', 'traffic', 'bytes', '1048576', 'queued bytes past which awareness is dropped'),
  s('SYNC_SEND_QUEUE_HARD_BYTES', 'traffic', 'bytes', '33554432', 'queued bytes past which a socket is closed'),
  s('SYNC_AWARENESS_BURST', 'traffic', 'whole number', '60', 'presence changes per connection: burst'),
  s('SYNC_AWARENESS_PER_SECOND', 'traffic', 'whole number', '10', 'presence changes per connection: per second'),
  s('SYNC_AWARENESS_MAX_BYTES', 'traffic', 'bytes', '4096', 'largest presence state of one client'),
  s('SYNC_AWARENESS_BYTES_BURST', 'traffic', 'bytes', '262144', 'presence bytes per user: burst'),
  s('SYNC_AWARENESS_BYTES_PER_SECOND', 'traffic', 'bytes', '32768', 'presence bytes per user: per second'),
  s('SYNC_USER_BYTES_BURST', 'traffic', 'bytes', '33554432', 'bytes one user may send: burst'),
  s('SYNC_USER_BYTES_PER_SECOND', 'traffic', 'bytes', '2097152', 'bytes one user may send: per second'),
  s('SYNC_SOCKETS_PER_USER', 'traffic', 'whole number', '100', 'open sockets per user'),
  s('SYNC_SOCKETS_PER_DEVICE', 'traffic', 'whole number', '40', 'open sockets per device'),
  s('SYNC_ROOMS_PER_USER', 'traffic', 'whole number', '100', 'documents and lists joined at once per user'),
  s('SYNC_ROOMS_PER_DEVICE', 'traffic', 'whole number', '40', 'documents and lists joined at once per device'),
  s('SYNC_NEW_DOCUMENTS_PER_HOUR_USER', 'traffic', 'whole number', '200', 'new documents per hour per user'),
  s('SYNC_NEW_DOCUMENTS_PER_HOUR_DEVICE', 'traffic', 'whole number', '100', 'new documents per hour per device'),
  s('SYNC_CONNECT_BURST', 'traffic', 'whole number', '60', 'sockets one access token may open: burst'),
  s('SYNC_CONNECT_PER_SECOND', 'traffic', 'whole number', '5', 'sockets one access token may open: per second'),
  s('SYNC_REFUSAL_DELAY_MS', 'traffic', 'whole number 0–60000', '1000', 'how long a refused socket is held before its 4429'),
  s('SYNC_PING_INTERVAL_MS', 'traffic', 'whole number', '15000', 'WebSocket ping interval'),
  s('SYNC_PONG_TIMEOUT_MS', 'traffic', 'whole number', '45000', 'silence after which a connection is dropped'),
  s('ATTACHMENT_MAX_BYTES', 'attachments', 'bytes 1024–536870912', '20971520', 'largest attachment'),
  s('ATTACHMENT_MAX_PER_DOCUMENT', 'attachments', 'whole number 1–200', '20', 'attachments one document may list'),
  s('ATTACHMENT_CHUNK_BYTES', 'attachments', 'bytes 16384–67108864', '1048576', 'largest chunk of one upload request'),
  s('ATTACHMENT_IMAGE_LONG_SIDE', 'attachments', 'pixels 320–10000', '2000', 'long side a photo is resized to on the device'),
  s('ATTACHMENT_DAILY_BYTES_PER_USER', 'attachments', 'bytes', '1073741824', 'attachment bytes one user may upload per day'),
  s('DRAFT_RETENTION_DAYS', 'drafts', 'whole number 1–3650', '30', 'how long a discarded concept stays restorable'),
  s('PDF_WORKERS', 'pdf', 'whole number 1–32', '2', 'threads that render letters at once'),
  s('PDF_RENDER_TIMEOUT_MS', 'pdf', 'whole number 1000–600000', '30000', 'time limit for rendering one letter'),
];

/** Prefixes of Keukentafel's own variables: an undeclared one is probably a typo. */
export const OWN_PREFIXES = [
  'ATTACHMENT_', 'DATABASE_', 'DEVICE_', 'DISK_', 'DMS_', 'DRAFT_', 'KEUKENTAFEL_', 'LOCAL_LOGIN', 'METRICS_', 'MUNICIPALITY_',
  'OIDC_', 'OUTBOX_', 'PDF_', 'PUSH_', 'REDIS_', 'SCIM_', 'SQLITE_', 'SYNC_', 'ZAAK_', 'ZGW_',
] as const;

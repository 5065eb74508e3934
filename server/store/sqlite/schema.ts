// The SQLite schema as an ordered list of migration steps, and the runner that brings a
// database file up to date at start. Steps are appended, never edited: databases in the field
// have already run the old ones.
import type Database from 'better-sqlite3';
import { SchemaTooNewError } from '../schema-version';

/**
 * Schema steps; `PRAGMA user_version` counts how many have run. Append new steps, never edit
 * an old one: databases in the field have already run it.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    -- lower-cased username: lookups are case-insensitive, also beyond ASCII
    username_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    team_id TEXT NOT NULL REFERENCES teams(id),
    roles TEXT NOT NULL CHECK (json_valid(roles)),
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
  );
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX devices_user ON devices(user_id);
  CREATE TABLE refresh_tokens (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX refresh_tokens_device ON refresh_tokens(device_id);
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    team_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    title TEXT NOT NULL,
    template_id TEXT,
    kind TEXT,
    zaak TEXT,
    status TEXT NOT NULL
  );
  CREATE INDEX documents_team ON documents(team_id, updated_at);
  CREATE INDEX documents_created_by ON documents(created_by, updated_at);
  -- doc_id is free text: index rooms (index:team:x) keep their log here too, so no foreign key.
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL CHECK (typeof(doc_id) = 'text' AND length(doc_id) > 0),
    "update" BLOB NOT NULL CHECK (typeof("update") = 'blob'),
    user_id TEXT,
    device_id TEXT,
    conn_id TEXT,
    at INTEGER NOT NULL CHECK (typeof(at) = 'integer')
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc_id, seq);
  CREATE TABLE doc_snapshots (
    doc_id TEXT PRIMARY KEY,
    state BLOB NOT NULL,
    through_seq INTEGER NOT NULL,
    at INTEGER NOT NULL
  );
  CREATE TABLE doc_update_history (
    doc_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    user_id TEXT,
    device_id TEXT,
    conn_id TEXT,
    at INTEGER NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (doc_id, seq)
  ) WITHOUT ROWID;
  `,
  // W1: workflow actions by idempotency key, with the answer they got; also the audit trail of
  // status changes. doc_id has no foreign key, like doc_updates: the trail outlives rows.
  `
  CREATE TABLE actions (
    idempotency_key TEXT PRIMARY KEY CHECK (typeof(idempotency_key) = 'text' AND length(idempotency_key) > 0),
    doc_id TEXT NOT NULL CHECK (typeof(doc_id) = 'text' AND length(doc_id) > 0),
    user_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at INTEGER NOT NULL CHECK (typeof(at) = 'integer'),
    http_status INTEGER NOT NULL CHECK (typeof(http_status) = 'integer' AND http_status BETWEEN 100 AND 599),
    response TEXT NOT NULL CHECK (json_valid(response))
  ) WITHOUT ROWID;
  CREATE INDEX actions_doc ON actions(doc_id, at);
  `,
  // W2, O1–O3: immutable submissions (snapshot, PDF, frozen DMS metadata) and their outbox rows.
  // The PDF lives here, not in files: one transaction covers snapshot, PDF, delivery and status.
  `
  CREATE TABLE submissions (
    doc_id TEXT NOT NULL CHECK (typeof(doc_id) = 'text' AND length(doc_id) > 0),
    version INTEGER NOT NULL CHECK (typeof(version) = 'integer' AND version >= 1),
    identificatie TEXT NOT NULL UNIQUE CHECK (length(identificatie) BETWEEN 1 AND 40),
    zaak TEXT NOT NULL,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL CHECK (typeof(template_version) = 'integer'),
    submitted_by TEXT NOT NULL,
    submitted_at INTEGER NOT NULL CHECK (typeof(submitted_at) = 'integer'),
    content BLOB NOT NULL CHECK (typeof(content) = 'blob'),
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    pdf BLOB NOT NULL CHECK (typeof(pdf) = 'blob'),
    pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    metadata TEXT NOT NULL CHECK (json_valid(metadata)),
    PRIMARY KEY (doc_id, version)
  );
  CREATE TRIGGER submissions_no_update BEFORE UPDATE ON submissions
    BEGIN SELECT RAISE(ABORT, 'submissions are immutable (W2)'); END;
  CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions
    BEGIN SELECT RAISE(ABORT, 'submissions are immutable (W2)'); END;
  CREATE TABLE outbox (
    identificatie TEXT PRIMARY KEY REFERENCES submissions(identificatie),
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (typeof(attempts) = 'integer' AND attempts >= 0),
    next_attempt_at INTEGER NOT NULL CHECK (typeof(next_attempt_at) = 'integer'),
    last_attempt_at INTEGER,
    last_error TEXT,
    outcome_unknown INTEGER NOT NULL DEFAULT 0 CHECK (outcome_unknown IN (0, 1)),
    delivered_at INTEGER,
    reference TEXT,
    -- O1: delivered exactly when the DMS gave a reference.
    CHECK ((state = 'delivered') = (reference IS NOT NULL))
  );
  CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
  CREATE INDEX outbox_doc ON outbox(doc_id, version);
  `,
  // W4: four eyes. Each approval or return of a submission, appended and never changed: the
  // audit trail of who approved or returned what, when, and the remark at its section.
  `
  CREATE TABLE reviews (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('approved', 'returned')),
    by_user TEXT NOT NULL CHECK (length(by_user) > 0),
    by_name TEXT NOT NULL,
    at INTEGER NOT NULL CHECK (typeof(at) = 'integer'),
    section TEXT,
    remark TEXT CHECK (remark IS NULL OR length(remark) BETWEEN 1 AND 2000),
    idempotency_key TEXT NOT NULL UNIQUE,
    CHECK (kind = 'approved' OR remark IS NOT NULL),
    FOREIGN KEY (doc_id, version) REFERENCES submissions(doc_id, version)
  );
  CREATE INDEX reviews_doc ON reviews(doc_id, seq);
  CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
    BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail (W4)'); END;
  CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
    BEGIN SELECT RAISE(ABORT, 'reviews are an audit trail (W4)'); END;
  `,
  // O4: a delivery that keeps failing (or is refused) ends in state 'failed' until the office's
  // retry-delivery; O5/O6: the DMS lock a delivery holds on an object it is updating or uploading
  // in parts, so an attempt after an unknown outcome can finish and unlock it. SQLite cannot widen
  // a CHECK in place, so the table is rebuilt; nothing references outbox.
  `
  CREATE TABLE outbox_next (
    identificatie TEXT PRIMARY KEY REFERENCES submissions(identificatie),
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (typeof(attempts) = 'integer' AND attempts >= 0),
    next_attempt_at INTEGER NOT NULL CHECK (typeof(next_attempt_at) = 'integer'),
    last_attempt_at INTEGER,
    last_error TEXT,
    outcome_unknown INTEGER NOT NULL DEFAULT 0 CHECK (outcome_unknown IN (0, 1)),
    delivered_at INTEGER,
    reference TEXT,
    dms_lock TEXT,
    CHECK ((state = 'delivered') = (reference IS NOT NULL))
  );
  INSERT INTO outbox_next (identificatie, doc_id, version, state, attempts, next_attempt_at, last_attempt_at, last_error,
      outcome_unknown, delivered_at, reference)
    SELECT identificatie, doc_id, version, state, attempts, next_attempt_at, last_attempt_at, last_error,
      outcome_unknown, delivered_at, reference FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_next RENAME TO outbox;
  CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
  CREATE INDEX outbox_doc ON outbox(doc_id, version);
  `,
  // J9: identificatie by construction: a per-installation year sequence, one number per
  // (document, version), reserved before the PDF is rendered and kept for every retry.
  `
  CREATE TABLE identificaties (
    year INTEGER NOT NULL CHECK (typeof(year) = 'integer' AND year BETWEEN 2000 AND 9999),
    seq INTEGER NOT NULL CHECK (typeof(seq) = 'integer' AND seq BETWEEN 1 AND 9999999),
    doc_id TEXT NOT NULL CHECK (typeof(doc_id) = 'text' AND length(doc_id) > 0),
    version INTEGER NOT NULL CHECK (typeof(version) = 'integer' AND version >= 1),
    PRIMARY KEY (year, seq),
    UNIQUE (doc_id, version)
  ) WITHOUT ROWID;
  CREATE TRIGGER identificaties_no_update BEFORE UPDATE ON identificaties
    BEGIN SELECT RAISE(ABORT, 'identificaties are never reused (J9)'); END;
  CREATE TRIGGER identificaties_no_delete BEFORE DELETE ON identificaties
    BEGIN SELECT RAISE(ABORT, 'identificaties are never reused (J9)'); END;
  `,
  // J1, J2, J4: the decision on a version (who, which day, the PDF as archived) and when the letter
  // left (verzenddatum, end of the objection term), both immutable like submissions; the function
  // title and contact details an official signs and is reached with.
  `
  ALTER TABLE users ADD COLUMN function_title TEXT CHECK (function_title IS NULL OR length(function_title) BETWEEN 1 AND 120);
  ALTER TABLE users ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254);
  ALTER TABLE users ADD COLUMN phone TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 3 AND 40);
  CREATE TABLE decisions (
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    decided_by TEXT NOT NULL CHECK (length(decided_by) > 0),
    decided_at INTEGER NOT NULL CHECK (typeof(decided_at) = 'integer'),
    dagtekening TEXT NOT NULL CHECK (dagtekening GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    signer_name TEXT NOT NULL,
    signer_function_title TEXT,
    pdf BLOB NOT NULL CHECK (typeof(pdf) = 'blob'),
    pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    metadata TEXT NOT NULL CHECK (json_valid(metadata)),
    sent_on TEXT NOT NULL CHECK (sent_on IN ('delivery', 'manual')),
    PRIMARY KEY (doc_id, version),
    FOREIGN KEY (doc_id, version) REFERENCES submissions(doc_id, version)
  );
  CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are immutable (J1)'); END;
  CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'decisions are immutable (J1)'); END;
  CREATE TABLE dispatches (
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    verzenddatum TEXT NOT NULL CHECK (verzenddatum GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    bezwaartermijn_einde TEXT,
    how TEXT NOT NULL CHECK (how IN ('delivery', 'manual')),
    by_user TEXT,
    at INTEGER NOT NULL CHECK (typeof(at) = 'integer'),
    PRIMARY KEY (doc_id, version),
    FOREIGN KEY (doc_id, version) REFERENCES decisions(doc_id, version)
  );
  CREATE TRIGGER dispatches_no_update BEFORE UPDATE ON dispatches
    BEGIN SELECT RAISE(ABORT, 'dispatches are immutable (J2)'); END;
  CREATE TRIGGER dispatches_no_delete BEFORE DELETE ON dispatches
    BEGIN SELECT RAISE(ABORT, 'dispatches are immutable (J2)'); END;
  `,
  // U1, U2: the audit trail. Append-only: the app has no UPDATE or DELETE path, and these
  // triggers refuse both from any connection. user_id/doc_id have no foreign keys: entries
  // outlive users and documents.
  `
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL CHECK (typeof(at) = 'integer'),
    user_id TEXT CHECK (user_id IS NULL OR length(user_id) BETWEEN 1 AND 200),
    device_id TEXT CHECK (device_id IS NULL OR length(device_id) BETWEEN 1 AND 200),
    action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    doc_id TEXT CHECK (doc_id IS NULL OR length(doc_id) BETWEEN 1 AND 200),
    address TEXT CHECK (address IS NULL OR length(address) <= 100),
    details TEXT NOT NULL CHECK (json_valid(details) AND length(details) <= 2048)
  );
  CREATE INDEX audit_log_user ON audit_log(user_id, seq);
  CREATE INDEX audit_log_doc ON audit_log(doc_id, seq);
  CREATE INDEX audit_log_at ON audit_log(at);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (U2)'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (U2)'); END;
  `,
  // C1–C9: users and teams provisioned over SCIM, linked to the IdP's resources, and group
  // memberships (a user may be in several groups; users.team_id is the first one joined, C6).
  `
  CREATE TABLE scim_users (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    external_id TEXT CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 256),
    created_at INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
    updated_at INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer')
  );
  CREATE TABLE scim_groups (
    team_id TEXT PRIMARY KEY REFERENCES teams(id),
    external_id TEXT CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 256),
    created_at INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
    updated_at INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer')
  );
  CREATE TABLE scim_members (
    team_id TEXT NOT NULL REFERENCES scim_groups(team_id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES scim_users(user_id) ON DELETE CASCADE,
    added_at INTEGER NOT NULL CHECK (typeof(added_at) = 'integer'),
    PRIMARY KEY (team_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX scim_members_user ON scim_members(user_id, added_at);
  `,
  // I3, I4: a user's IdP subject (one per user, one user per subject) and each device's IdP
  // sign-in, whose refresh token is asked again on every refresh of the app's tokens.
  `
  CREATE TABLE user_identities (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    issuer TEXT NOT NULL CHECK (length(issuer) > 0),
    subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    UNIQUE (issuer, subject)
  );
  CREATE TABLE idp_sessions (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    sid TEXT,
    refresh_token TEXT,
    id_token TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX idp_sessions_sid ON idp_sessions(issuer, sid);
  CREATE INDEX idp_sessions_subject ON idp_sessions(issuer, subject);
  `,
  // B6: what each device said about itself at its last sign-in or refresh (the administration
  // screen lists them); null for devices that signed in before, or apps that do not say.
  `
  ALTER TABLE devices ADD COLUMN app_version TEXT CHECK (app_version IS NULL OR length(app_version) BETWEEN 1 AND 64);
  ALTER TABLE devices ADD COLUMN storage_persisted INTEGER CHECK (storage_persisted IS NULL OR storage_persisted IN (0, 1));
  CREATE INDEX users_team ON users(team_id);
  `,
  // K20–K29: the device vault's server side. The status token is kept hashed (it only has to be
  // recognised); the recovery key in the clear, because the server hands it back (K25).
  `
  ALTER TABLE devices ADD COLUMN status_token_hash TEXT CHECK (status_token_hash IS NULL OR length(status_token_hash) = 64);
  ALTER TABLE devices ADD COLUMN recovery_key TEXT CHECK (recovery_key IS NULL OR length(recovery_key) = 43);
  ALTER TABLE devices ADD COLUMN wipe TEXT CHECK (wipe IS NULL OR wipe IN ('wipe-now', 'send-then-wipe'));
  ALTER TABLE devices ADD COLUMN recovered_by TEXT;
  `,
  // F1–F8: attachment uploads (issue 14). BLOBs in the database like the PDFs: one file to back
  // up. A row counts the bytes stored (`received`); chunks are appended at that offset, and the
  // last one and `completed_at` are written in one transaction. F9: a submission's frozen list.
  `
  CREATE TABLE attachments (
    doc_id TEXT NOT NULL CHECK (typeof(doc_id) = 'text' AND length(doc_id) > 0),
    id TEXT NOT NULL CHECK (length(id) = 36),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size INTEGER NOT NULL CHECK (typeof(size) = 'integer' AND size > 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    declared_by TEXT NOT NULL,
    declared_at INTEGER NOT NULL,
    received INTEGER NOT NULL DEFAULT 0 CHECK (typeof(received) = 'integer' AND received BETWEEN 0 AND size),
    completed_at INTEGER CHECK (completed_at IS NULL OR received = size),
    PRIMARY KEY (doc_id, id)
  ) WITHOUT ROWID;
  CREATE TABLE attachment_chunks (
    doc_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    start INTEGER NOT NULL CHECK (typeof(start) = 'integer' AND start >= 0),
    bytes BLOB NOT NULL CHECK (typeof(bytes) = 'blob' AND length(bytes) > 0),
    PRIMARY KEY (doc_id, attachment_id, start),
    FOREIGN KEY (doc_id, attachment_id) REFERENCES attachments(doc_id, id) ON DELETE CASCADE
  );
  ALTER TABLE submissions ADD COLUMN attachments TEXT CHECK (attachments IS NULL OR json_valid(attachments));
  `,
  // Y8–Y15: Web Push, one subscription per device, and the notices already pushed (each event once).
  `
  CREATE TABLE push_subscriptions (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    endpoint TEXT NOT NULL CHECK (length(endpoint) BETWEEN 1 AND 2048),
    p256dh TEXT NOT NULL CHECK (length(p256dh) BETWEEN 1 AND 200),
    auth TEXT NOT NULL CHECK (length(auth) BETWEEN 1 AND 100),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
  CREATE INDEX push_subscriptions_endpoint ON push_subscriptions(endpoint);
  CREATE TABLE push_notices (
    key TEXT PRIMARY KEY,
    at INTEGER NOT NULL
  );
  `,
  // Q1: when a document's status last changed ("wacht sinds" in the office's work list). A trigger
  // keeps it, so every writer of the status (actions, deliveries, later ones) stamps it alike with
  // the updated_at it writes. Rows from before: the last accepted action, else creation.
  `
  ALTER TABLE documents ADD COLUMN status_since INTEGER;
  UPDATE documents SET status_since = (SELECT MAX(a.at) FROM actions a WHERE a.doc_id = documents.id AND a.http_status < 300);
  CREATE TRIGGER documents_status_since AFTER UPDATE OF status ON documents
    FOR EACH ROW WHEN NEW.status IS NOT OLD.status
    BEGIN
      UPDATE documents SET status_since = NEW.updated_at WHERE id = NEW.id;
    END;
  `,
  // E1–E6 (drafts): a discarded concept keeps its row, marked, until the housekeeping purges it.
  `
  ALTER TABLE documents ADD COLUMN discarded_at INTEGER CHECK (discarded_at IS NULL OR typeof(discarded_at) = 'integer');
  ALTER TABLE documents ADD COLUMN discarded_by TEXT;
  CREATE INDEX documents_discarded ON documents(discarded_at) WHERE discarded_at IS NOT NULL;
  `,
  // OP19: which steps ran and when, as PostgreSQL's schema_migrations records them. Steps that ran
  // in an earlier start get a row without a time (`applied_at` NULL: not recorded then); from this
  // step on `migrate` writes one row per step in the step's own transaction, with the app version.
  `
  CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY CHECK (typeof(version) = 'integer' AND version >= 1),
    name TEXT NOT NULL,
    applied_at INTEGER CHECK (applied_at IS NULL OR typeof(applied_at) = 'integer'),
    app_version TEXT
  );
  `,
];

/**
 * OP19: a short name per step, in the same order, recorded in schema_migrations. Names may be
 * added for new steps; the SQL of an old step is never edited.
 */
export const MIGRATION_NAMES: readonly string[] = [
  'accounts, documents and the update log',
  'workflow actions (W1)',
  'submissions and outbox (W2, O1-O3)',
  'reviews (W4)',
  'outbox failed state and DMS lock (O4-O6)',
  'identificaties (J9)',
  'decisions and dispatches (J1, J2, J4)',
  'audit log (U1, U2)',
  'SCIM users and groups (C1-C9)',
  'IdP identities and sessions (I3, I4)',
  'device reports (B6)',
  'device vault server side (K20-K29)',
  'attachments (F1-F9)',
  'web push (Y8-Y15)',
  'status since (Q1)',
  'discarded drafts (E1-E6)',
  'schema_migrations (OP19)',
];

/** The schema version this server writes: the number of steps it knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export interface MigrateOptions {
  /** Recorded with each step that runs (package.json's version); OP20 names it in a refusal. */
  appVersion?: string;
  now?: () => number;
}

/**
 * Brings the database up to this server's schema: each missing step in its own IMMEDIATE
 * transaction with its user_version and (from OP19 on) its schema_migrations row, so a failed
 * step leaves the version where it was. A database written by a newer server is refused whole
 * (OP20), nothing changed, with both versions named.
 */
export function migrate(db: Database.Database, options: MigrateOptions = {}): { from: number; to: number } {
  const now = options.now ?? Date.now;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new SchemaTooNewError({ engine: 'sqlite', database: current, server: MIGRATIONS.length, writtenBy: writtenBy(db), serverApp: options.appVersion ?? null });
  }
  // Steps this run made before the table existed are back-filled with their real time.
  const ranNow = new Map<number, number>();
  for (let version = current; version < MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version] ?? '';
    db.transaction(() => {
      db.exec(step);
      ranNow.set(version + 1, now());
      recordStep(db, version + 1, ranNow, options.appVersion ?? null);
      // user_version is transactional: a failed step leaves the version where it was.
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return { from: current, to: MIGRATIONS.length };
}

/** OP19: once the table exists, one row per step; the step that creates it back-fills the older ones. */
function recordStep(db: Database.Database, version: number, ranNow: ReadonlyMap<number, number>, appVersion: string | null): void {
  if (!hasMigrationsTable(db)) return;
  const insert = db.prepare<[number, string, number | null, string | null]>(
    'INSERT OR IGNORE INTO schema_migrations (version, name, applied_at, app_version) VALUES (?, ?, ?, ?)',
  );
  for (let step = 1; step <= version; step++) {
    const at = ranNow.get(step) ?? null;
    insert.run(step, MIGRATION_NAMES[step - 1] ?? `step ${step}`, at, at === null ? null : appVersion);
  }
}

function hasMigrationsTable(db: Database.Database): boolean {
  return db.prepare<[], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()?.n === 1;
}

/** The app version that ran the database's newest recorded step, when it says. */
function writtenBy(db: Database.Database): string | null {
  if (!hasMigrationsTable(db)) return null;
  const row = db
    .prepare<[], { app_version: string | null }>('SELECT app_version FROM schema_migrations WHERE app_version IS NOT NULL ORDER BY version DESC LIMIT 1')
    .get();
  return row?.app_version ?? null;
}

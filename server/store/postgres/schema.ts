// The PostgreSQL schema as an ordered list of migrations, and the runner that brings a database
// up to date at start. Version 1 is the SQLite schema as it stands after all its steps; later
// versions are appended, never edited: databases in the field have already run the old ones.
// Each step runs in its own transaction and is recorded in schema_migrations; two processes
// starting at once take an advisory lock, so one migrates and the other finds it done.
import type { Pool } from './pool';
import { appVersion, SchemaTooNewError } from '../schema-version';

/** Refuses an UPDATE or DELETE on an immutable table; its message comes from the trigger's argument. */
const FORBID_CHANGE = `
  CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
  END $$;
`;

function immutable(table: string, message: string): string {
  return `
  CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION forbid_change('${message}');`;
}

export interface Migration {
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'schema as of SQLite step 14',
    sql: `
  ${FORBID_CHANGE}
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
    roles TEXT NOT NULL CHECK (roles::jsonb IS NOT NULL),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false,
    function_title TEXT CHECK (function_title IS NULL OR length(function_title) BETWEEN 1 AND 120),
    email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
    phone TEXT CHECK (phone IS NULL OR length(phone) BETWEEN 3 AND 40)
  );
  CREATE INDEX users_team ON users(team_id);
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    revoked_at BIGINT,
    app_version TEXT CHECK (app_version IS NULL OR length(app_version) BETWEEN 1 AND 64),
    storage_persisted BOOLEAN,
    status_token_hash TEXT CHECK (status_token_hash IS NULL OR length(status_token_hash) = 64),
    recovery_key TEXT CHECK (recovery_key IS NULL OR length(recovery_key) = 43),
    wipe TEXT CHECK (wipe IS NULL OR wipe IN ('wipe-now', 'send-then-wipe')),
    recovered_by TEXT
  );
  CREATE INDEX devices_user ON devices(user_id);
  CREATE TABLE refresh_tokens (
    hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    expires_at BIGINT NOT NULL,
    used_at BIGINT
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
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    title TEXT NOT NULL,
    template_id TEXT,
    kind TEXT,
    zaak TEXT,
    status TEXT NOT NULL,
    status_since BIGINT,
    discarded_at BIGINT,
    discarded_by TEXT
  );
  CREATE INDEX documents_team ON documents(team_id, updated_at);
  CREATE INDEX documents_created_by ON documents(created_by, updated_at);
  CREATE INDEX documents_discarded ON documents(discarded_at) WHERE discarded_at IS NOT NULL;
  -- status_since (Q): when the status last changed, set by the database so no writer forgets it.
  CREATE FUNCTION documents_status_since() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN NEW.status_since := NEW.updated_at; END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER documents_status_since BEFORE UPDATE OF status ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_status_since();
  -- The update log is per room (a document's content room or an index room such as
  -- index:team:x), so the column is called room and has no foreign key. seq comes from one
  -- sequence: it orders rows, but a row with a lower seq may commit after one with a higher
  -- seq, so compaction must never delete "every row up to seq N" (see store.ts).
  CREATE TABLE doc_updates (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room TEXT NOT NULL CHECK (length(room) > 0),
    "update" BYTEA NOT NULL,
    user_id TEXT,
    device_id TEXT,
    conn_id TEXT,
    at BIGINT NOT NULL
  );
  CREATE INDEX doc_updates_room ON doc_updates(room, seq);
  CREATE TABLE doc_snapshots (
    room TEXT PRIMARY KEY,
    state BYTEA NOT NULL,
    through_seq BIGINT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE TABLE doc_update_history (
    room TEXT NOT NULL,
    seq BIGINT NOT NULL,
    user_id TEXT,
    device_id TEXT,
    conn_id TEXT,
    at BIGINT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (room, seq)
  );
  CREATE TABLE actions (
    idempotency_key TEXT PRIMARY KEY CHECK (length(idempotency_key) > 0),
    doc_id TEXT NOT NULL CHECK (length(doc_id) > 0),
    user_id TEXT NOT NULL,
    type TEXT NOT NULL,
    at BIGINT NOT NULL,
    http_status INTEGER NOT NULL CHECK (http_status BETWEEN 100 AND 599),
    response TEXT NOT NULL CHECK (response::jsonb IS NOT NULL)
  );
  CREATE INDEX actions_doc ON actions(doc_id, at);
  CREATE TABLE submissions (
    doc_id TEXT NOT NULL CHECK (length(doc_id) > 0),
    version INTEGER NOT NULL CHECK (version >= 1),
    identificatie TEXT NOT NULL UNIQUE CHECK (length(identificatie) BETWEEN 1 AND 40),
    zaak TEXT NOT NULL,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    content BYTEA NOT NULL,
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    pdf BYTEA NOT NULL,
    pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    metadata TEXT NOT NULL CHECK (metadata::jsonb IS NOT NULL),
    attachments TEXT CHECK (attachments IS NULL OR attachments::jsonb IS NOT NULL),
    PRIMARY KEY (doc_id, version)
  );
  ${immutable('submissions', 'submissions are immutable (W2)')}
  CREATE TABLE reviews (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('approved', 'returned')),
    by_user TEXT NOT NULL CHECK (length(by_user) > 0),
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL,
    section TEXT,
    remark TEXT CHECK (remark IS NULL OR length(remark) BETWEEN 1 AND 2000),
    idempotency_key TEXT NOT NULL UNIQUE,
    CHECK (kind = 'approved' OR remark IS NOT NULL),
    FOREIGN KEY (doc_id, version) REFERENCES submissions(doc_id, version)
  );
  CREATE INDEX reviews_doc ON reviews(doc_id, seq);
  ${immutable('reviews', 'reviews are an audit trail (W4)')}
  CREATE TABLE outbox (
    identificatie TEXT PRIMARY KEY REFERENCES submissions(identificatie),
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at BIGINT NOT NULL,
    last_attempt_at BIGINT,
    last_error TEXT,
    outcome_unknown BOOLEAN NOT NULL DEFAULT false,
    delivered_at BIGINT,
    reference TEXT,
    dms_lock TEXT,
    CHECK ((state = 'delivered') = (reference IS NOT NULL))
  );
  CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
  CREATE INDEX outbox_doc ON outbox(doc_id, version);
  CREATE TABLE identificaties (
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 9999999),
    doc_id TEXT NOT NULL CHECK (length(doc_id) > 0),
    version INTEGER NOT NULL CHECK (version >= 1),
    PRIMARY KEY (year, seq),
    UNIQUE (doc_id, version)
  );
  ${immutable('identificaties', 'identificaties are never reused (J9)')}
  CREATE TABLE decisions (
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    decided_by TEXT NOT NULL CHECK (length(decided_by) > 0),
    decided_at BIGINT NOT NULL,
    dagtekening TEXT NOT NULL CHECK (dagtekening ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    signer_name TEXT NOT NULL,
    signer_function_title TEXT,
    pdf BYTEA NOT NULL,
    pdf_sha256 TEXT NOT NULL CHECK (length(pdf_sha256) = 64),
    metadata TEXT NOT NULL CHECK (metadata::jsonb IS NOT NULL),
    sent_on TEXT NOT NULL CHECK (sent_on IN ('delivery', 'manual')),
    PRIMARY KEY (doc_id, version),
    FOREIGN KEY (doc_id, version) REFERENCES submissions(doc_id, version)
  );
  ${immutable('decisions', 'decisions are immutable (J1)')}
  CREATE TABLE dispatches (
    doc_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    verzenddatum TEXT NOT NULL CHECK (verzenddatum ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    bezwaartermijn_einde TEXT,
    how TEXT NOT NULL CHECK (how IN ('delivery', 'manual')),
    by_user TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, version),
    FOREIGN KEY (doc_id, version) REFERENCES decisions(doc_id, version)
  );
  ${immutable('dispatches', 'dispatches are immutable (J2)')}
  CREATE TABLE audit_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id TEXT CHECK (user_id IS NULL OR length(user_id) BETWEEN 1 AND 200),
    device_id TEXT CHECK (device_id IS NULL OR length(device_id) BETWEEN 1 AND 200),
    action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    doc_id TEXT CHECK (doc_id IS NULL OR length(doc_id) BETWEEN 1 AND 200),
    address TEXT CHECK (address IS NULL OR length(address) <= 100),
    details TEXT NOT NULL CHECK (details::jsonb IS NOT NULL AND length(details) <= 2048)
  );
  CREATE INDEX audit_log_user ON audit_log(user_id, seq);
  CREATE INDEX audit_log_doc ON audit_log(doc_id, seq);
  CREATE INDEX audit_log_at ON audit_log(at);
  ${immutable('audit_log', 'the audit log is append-only (U2)')}
  CREATE TABLE scim_users (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    external_id TEXT CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 256),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE scim_groups (
    team_id TEXT PRIMARY KEY REFERENCES teams(id),
    external_id TEXT CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 256),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE TABLE scim_members (
    team_id TEXT NOT NULL REFERENCES scim_groups(team_id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES scim_users(user_id) ON DELETE CASCADE,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
  );
  CREATE INDEX scim_members_user ON scim_members(user_id, added_at);
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
    created_at BIGINT NOT NULL
  );
  CREATE INDEX idp_sessions_sid ON idp_sessions(issuer, sid);
  CREATE INDEX idp_sessions_subject ON idp_sessions(issuer, subject);
  CREATE TABLE attachments (
    doc_id TEXT NOT NULL CHECK (length(doc_id) > 0),
    id TEXT NOT NULL CHECK (length(id) = 36),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size BIGINT NOT NULL CHECK (size > 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    declared_by TEXT NOT NULL,
    declared_at BIGINT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0 CHECK (received BETWEEN 0 AND size),
    completed_at BIGINT CHECK (completed_at IS NULL OR received = size),
    PRIMARY KEY (doc_id, id)
  );
  CREATE TABLE attachment_chunks (
    doc_id TEXT NOT NULL,
    attachment_id TEXT NOT NULL,
    start BIGINT NOT NULL CHECK (start >= 0),
    bytes BYTEA NOT NULL CHECK (length(bytes) > 0),
    PRIMARY KEY (doc_id, attachment_id, start),
    FOREIGN KEY (doc_id, attachment_id) REFERENCES attachments(doc_id, id) ON DELETE CASCADE
  );
  CREATE TABLE push_subscriptions (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    endpoint TEXT NOT NULL CHECK (length(endpoint) BETWEEN 1 AND 2048),
    p256dh TEXT NOT NULL CHECK (length(p256dh) BETWEEN 1 AND 200),
    auth TEXT NOT NULL CHECK (length(auth) BETWEEN 1 AND 100),
    created_at BIGINT NOT NULL
  );
  CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
  CREATE INDEX push_subscriptions_endpoint ON push_subscriptions(endpoint);
  CREATE TABLE push_notices (
    key TEXT PRIMARY KEY,
    at BIGINT NOT NULL
  );
  `,
  },
];

/** Any number: the advisory lock every Keukentafel process takes while migrating. */
const MIGRATION_LOCK = 7_246_001;

/**
 * Brings the database up to date. Each migration runs in its own transaction with its row in
 * schema_migrations, so a failed step leaves the version where it was. A database written by a
 * newer server (more rows than this server knows) is refused with both versions named.
 */
export async function migrate(pool: Pool): Promise<{ from: number; to: number }> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
    const from = rows[0]?.version ?? 0;
    if (from > MIGRATIONS.length) {
      // OP20: the same typed refusal as SQLite's, which main.ts prints plainly (exit 4).
      throw new SchemaTooNewError({ engine: 'postgres', database: from, server: MIGRATIONS.length, writtenBy: null, serverApp: appVersion() });
    }
    for (let version = from; version < MIGRATIONS.length; version++) {
      const step = MIGRATIONS[version];
      if (step === undefined) break;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [version + 1, step.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`migration ${version + 1} (${step.name}) failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { from, to: MIGRATIONS.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

// The server's storage seam. `SqliteStore` is the embedded default, `MemoryStore` serves unit
// tests, and a PostgreSQL store will implement the same interface (one contract suite runs
// against all of them: tests/integration/store-contract.test.ts).
import type { AttachmentMediaType, FrozenAttachment } from '../../shared/model/attachments';
import type { ArchiveBlock } from '../../shared/templates/archive';
import type { WorkflowStatus } from '../../shared/model/index-entry';
import type { DmsZgw } from '../../shared/templates/schema';
import type { AuditLog } from '../audit/types';

/** One Yjs update as received, with who sent it. Appended, never changed. */
export interface UpdateRecord {
  /** Document id, or an index room name for the server-written index documents. */
  docId: string;
  update: Uint8Array;
  userId: string | null;
  deviceId: string | null;
  connId: string | null;
  at: number;
}

export interface StoredUpdates {
  /** Snapshot first (if any), then the log in append order. */
  updates: Uint8Array[];
  /** Highest log sequence number included, 0 when the log is empty. */
  lastSeq: number;
  /** Log rows not yet folded into the snapshot. */
  logLength: number;
}

export interface DocumentRow {
  id: string;
  teamId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  title: string;
  templateId: string | null;
  kind: string | null;
  zaak: string | null;
  status: WorkflowStatus;
  /**
   * Q1: when `status` last changed (the `updatedAt` written with the change); the store keeps it,
   * callers never set it. Absent on a row whose status never changed: then `createdAt`.
   */
  statusSince?: number;
  // ---- Drafts (E1–E12) ----
  /** E1: when the concept was discarded (it left the lists; the office may restore it); absent or null when not. */
  discardedAt?: number | null;
  /** E1: the user who discarded it. */
  discardedBy?: string | null;
  // ---- end Drafts ----
}

export type DocumentPatch = Partial<
  Pick<DocumentRow, 'title' | 'templateId' | 'kind' | 'zaak' | 'status' | 'updatedAt' | 'discardedAt' | 'discardedBy'>
>;

// ---- Drafts (E1–E12) ----
/** What a purge of a discarded concept did (E5). */
export type PurgeResult = 'purged' | 'kept';

/** E1, E5: discarded concepts, the office's list of them and their purge after the retention period. */
export interface DraftStore {
  /** The team's discarded concepts, most recently discarded first. */
  listDiscarded(teamId: string): Promise<DocumentRow[]>;
  /** Discarded concepts discarded at or before `discardedBefore`, oldest first, at most `limit`. */
  listPurgeable(discardedBefore: number, limit: number): Promise<DocumentRow[]>;
  /**
   * E5, in one transaction: deletes the document row, its updates, snapshot and update history,
   * but only while it is still discarded at or before `discardedBefore` and has no submission
   * (E6: a document with any submission is never deleted). The action and audit trails stay.
   */
  purgeDocument(docId: string, discardedBefore: number): Promise<PurgeResult>;
}
// ---- end Drafts ----

/**
 * One workflow action as decided, with the answer it got (W1). The idempotency key is unique:
 * a replay of the key gets `httpStatus` and `response` back verbatim. Kept as the audit trail
 * of status changes, refusals included.
 */
export interface ActionRecord {
  idempotencyKey: string;
  docId: string;
  userId: string;
  /** The action type as requested ('submit', 'approve', …); the store does not interpret it. */
  type: string;
  at: number;
  httpStatus: number;
  /** The JSON body that was answered, as sent. */
  response: string;
}

export type CommitActionResult =
  | { stored: true }
  | { stored: false; existing: ActionRecord }
  /**
   * Nothing stored: the row's status is no longer the one the action was decided on (null: no
   * row), or (`contentMoved`, CL27) a submit's content lacks an update stored for the document
   * after the content was read: read it again.
   */
  | { stored: false; existing: null; status: WorkflowStatus | null; contentMoved?: true };

/** Conditions and side effects of an action, applied in the same transaction as its record. */
export interface CommitActionOptions {
  /** Store nothing unless the document row still has this status (compare-and-set). */
  ifStatus?: WorkflowStatus;
  /**
   * Makes the document's undelivered deliveries due at this time (retry-delivery); a `failed`
   * one becomes pending again with its attempts reset (O4).
   */
  deliveriesDueAt?: number;
}

export interface DocumentStore {
  getDocument(id: string): Promise<DocumentRow | null>;
  /** Creates the row unless it exists; returns the row that is stored. */
  createDocument(row: DocumentRow): Promise<DocumentRow>;
  /** The documents of a team or author, discarded concepts left out (E2: they leave the lists). */
  listDocuments(filter: { teamId: string } | { createdBy: string }): Promise<DocumentRow[]>;
  updateDocument(id: string, patch: DocumentPatch): Promise<void>;
  loadUpdates(docId: string): Promise<StoredUpdates>;
  /**
   * Appends all records in one transaction: all are durable when it resolves, or none. CL26: a
   * record of a document room (`doc:<id>`) whose row's status takes no edits (V1) refuses the
   * whole batch with `FrozenRoomsError` naming those rooms, decided in the same transaction as
   * the insert (a status change of that row waits for it, or it waits for the change).
   */
  appendUpdates(batch: readonly UpdateRecord[]): Promise<void>;
  /** Replaces the snapshot with `merged` and drops log rows up to `throughSeq`, atomically. */
  compact(docId: string, merged: Uint8Array, throughSeq: number): Promise<void>;
  getAction(idempotencyKey: string): Promise<ActionRecord | null>;
  /**
   * In one transaction: stores `record` and applies `patch` (if any) to the row of
   * `record.docId`. When the idempotency key is already stored nothing changes and the stored
   * record comes back: of two concurrent commits with one key exactly one is stored.
   */
  commitAction(record: ActionRecord, patch: DocumentPatch | null, options?: CommitActionOptions): Promise<CommitActionResult>;
}

/** What the DMS files with a submission; frozen at submit so every retry sends the same. */
export interface ArchiveMetadata {
  title: string;
  author: string;
  /** YYYY-MM-DD in Europe/Amsterdam. */
  creatiedatum: string;
  taal: 'nld';
  documenttype: string;
  vertrouwelijkheidaanduiding: string;
  /**
   * M4: the template (id, version) and its `dms.archive` block (null when it has none), frozen
   * with the letter like the rest; absent on letters printed before M1.
   */
  archive?: { templateId: string; templateVersion: number; block: ArchiveBlock | null };
  // ---- ZGW Besluiten (Z20–Z39) ----
  /** Z20: the template's `dms.zgw` block as it was when the version was printed; absent before Z20. */
  zgw?: DmsZgw;
  /** Z25: the decision template's kind was `besluit` (a besluit is registered when a besluittype is known). */
  besluit?: boolean;
  /** Z25: the date the decision takes effect (the field with role `ingangsdatum`), YYYY-MM-DD. */
  ingangsdatum?: string;
  // ---- end ZGW Besluiten ----
}

/** One submitted version of a document (W2): immutable once stored. */
export interface SubmissionRecord {
  docId: string;
  /** 1, 2, … per document. */
  version: number;
  /** Deterministic per document and version (O2): the key a DMS look-up uses. */
  identificatie: string;
  zaak: string;
  templateId: string;
  templateVersion: number;
  /** User id. */
  submittedBy: string;
  submittedAt: number;
  /** `Y.encodeStateAsUpdate` of the document as validated. */
  content: Uint8Array;
  /** SHA-256 of `content`, hex. */
  contentSha256: string;
  /** The rendered PDF/A-2b. */
  pdf: Uint8Array;
  pdfSha256: string;
  metadata: ArchiveMetadata;
  /** Issue 14: the attachments frozen with this version (their bytes stay in the attachment store). */
  attachments?: FrozenAttachment[];
}

// ---- Attachments, server side (F1–F19) ----
/** F1: one declared attachment of a document and how far its upload got. */
export interface AttachmentRow {
  docId: string;
  /** The device's UUID (AttachmentRef.id). */
  id: string;
  name: string;
  mediaType: AttachmentMediaType;
  /** Declared size in bytes: the upload is complete when `received` reaches it. */
  size: number;
  /** Declared SHA-256, hex: checked before the upload is called complete (F4). */
  sha256: string;
  declaredBy: string;
  declaredAt: number;
  /** Bytes stored durably; the next chunk starts here (F2, F6). */
  received: number;
  /** When the whole blob was stored and checked; null while the upload is under way. */
  completedAt: number | null;
}

/** F6: the outcome of appending one chunk (a compare-and-set on `received`). */
export type AppendChunkResult = { stored: true; row: AttachmentRow } | { stored: false; row: AttachmentRow | null };

/**
 * F1–F8: attachment blobs beside the documents, in the same database (one file to back up).
 * Chunks are appended at the offset the row says; the last chunk and `completedAt` are stored in
 * one transaction, so a complete row always has all its bytes.
 */
export interface AttachmentStore {
  /** Inserts the row unless (docId, id) exists; returns the row that is stored. */
  declareAttachment(row: AttachmentRow): Promise<AttachmentRow>;
  getAttachment(docId: string, id: string): Promise<AttachmentRow | null>;
  /** The document's attachment rows (removed-before-submit ones included), oldest first. */
  listAttachments(docId: string): Promise<AttachmentRow[]>;
  /**
   * Appends `bytes` at `offset` when that is the row's `received` and it is not complete, and with
   * `completeAt` marks it complete, in one transaction. Otherwise stores nothing and returns the row.
   */
  appendAttachmentChunk(docId: string, id: string, offset: number, bytes: Uint8Array, completeAt: number | null): Promise<AppendChunkResult>;
  /** Forgets the bytes of an incomplete upload (a hash or type check failed): `received` is 0 again. */
  resetAttachment(docId: string, id: string): Promise<void>;
  /** The stored bytes so far (all of them once complete); null when not declared. */
  readAttachmentBytes(docId: string, id: string): Promise<Uint8Array | null>;
  /** F8: deletes every attachment row and its bytes of a document (the drafts purge); returns how many. */
  deleteAttachments(docId: string): Promise<number>;
}
// ---- end Attachments, server side ----

/** A submission's way to the DMS (the outbox row); kept after delivery as its archive record. */
export interface DeliveryRow {
  identificatie: string;
  docId: string;
  version: number;
  /**
   * `failed` (O4): refused for good, or still failing after the outbox's last attempt; it waits
   * for the office's retry-delivery, which makes it pending again with its attempts reset.
   */
  state: 'pending' | 'delivered' | 'failed';
  /** Attempts started (since the last retry-delivery); also the fencing token of the attempt in flight. */
  attempts: number;
  /** Due time of the next attempt; while an attempt runs, when its lease ends. */
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  /** Kebab-case reason with detail, e.g. 'dms-unreachable: ECONNREFUSED'; null when none. */
  lastError: string | null;
  /** An attempt started whose outcome was never recorded: look up before delivering again (O2). */
  outcomeUnknown: boolean;
  deliveredAt: number | null;
  /** The DMS's reference; set exactly when delivered (O1). */
  reference: string | null;
  /**
   * The lock this delivery holds on a DMS object (ZGW: a new version or an upload in parts, O5,
   * O6), kept so an attempt after an unknown outcome can finish and unlock it; null when none.
   */
  dmsLock: string | null;
}

/** A submission without its bytes, with its delivery (a queued one: see `SubmissionListing`). */
export type SubmissionSummary = Omit<SubmissionRecord, 'content' | 'pdf'> & { delivery: DeliveryRow };

/**
 * What `GET /api/documents/:id` lists: every submission, with its delivery, which is null while
 * the submission waits for approval and stays null when it was returned instead (W4): only an
 * approved submission is queued for the DMS.
 */
export type SubmissionListing = Omit<SubmissionSummary, 'delivery'> & { delivery: DeliveryRow | null };

/**
 * One review of a submission by a second official (W4): approved (its delivery is then
 * queued) or returned with a remark. Appended, never changed: the audit trail of four eyes.
 */
export interface ReviewRecord {
  docId: string;
  /** The submission version the review was about (the latest when it was made). */
  version: number;
  kind: 'approved' | 'returned';
  /** User id and display name as they were at the time. */
  by: string;
  byName: string;
  at: number;
  /** The template field or section key the remark is about; null for the whole document. */
  section: string | null;
  /** Required for `returned` (1–2000 characters); null for `approved`. */
  remark: string | null;
  /** The action that made the review. */
  idempotencyKey: string;
}

export interface ReviewCommit {
  record: ActionRecord;
  review: ReviewRecord;
  patch: DocumentPatch;
  /** The status the action was decided on; anything else stores nothing. */
  ifStatus: WorkflowStatus;
  /** Approve: queue the delivery of `review.version`, first attempt due at this time. Null: queue nothing. */
  dueAt: number | null;
  /** Approve (J1): the decision on `review.version`, with the PDF as archived, stored in the same transaction. */
  decision?: DecisionRecord;
}

/** J2: how the verzenddatum of a decided letter is recorded: at DMS delivery, or by the office's mark-sent. */
export type SentOn = 'delivery' | 'manual';

/**
 * J1: the decision on one submitted version: who took it, on which day, and the PDF as it is
 * archived (dated that day, signed by that official). Rendered when the decision is taken
 * (approval, or submit where no approval is needed); immutable once stored, like submissions.
 */
export interface DecisionRecord {
  docId: string;
  version: number;
  /** User id of the official who took the decision: the approver under four eyes, else the submitter. */
  decidedBy: string;
  decidedAt: number;
  /** The letter's date: YYYY-MM-DD of `decidedAt` in Europe/Amsterdam. */
  dagtekening: string;
  /** Name and function title of the signer as printed. */
  signerName: string;
  signerFunctionTitle: string | null;
  pdf: Uint8Array;
  pdfSha256: string;
  /** The archive's metadata of the decided letter (`creatiedatum` is the dagtekening). */
  metadata: ArchiveMetadata;
  /** J2, frozen from the template (`dms.sentOn`) when the decision is taken. */
  sentOn: SentOn;
}

/** A decision without its PDF, with when the letter was sent (null until then). */
export type DecisionSummary = Omit<DecisionRecord, 'pdf'> & { dispatch: DispatchRecord | null };

/**
 * J2: the letter left: its verzenddatum and the end of the objection term counted from it.
 * Recorded once per decided version (at delivery, or by mark-sent); never changed.
 */
export interface DispatchRecord {
  docId: string;
  version: number;
  /** YYYY-MM-DD. */
  verzenddatum: string;
  /** Last day of the bezwaartermijn (Awb 6:7, 6:8) counted from `verzenddatum`; null when not computable. */
  bezwaartermijnEinde: string | null;
  /** 'delivery': when the DMS took it; 'manual': the office's mark-sent. */
  how: SentOn;
  /** The official who marked it sent; null for a delivery. */
  by: string | null;
  at: number;
}

export interface DispatchCommit {
  record: ActionRecord;
  dispatch: DispatchRecord;
  /** The status the action was decided on; anything else stores nothing. */
  ifStatus: WorkflowStatus;
}

export interface ClaimedDelivery {
  delivery: DeliveryRow;
  /** The previous attempt's outcome is unknown: call `lookup` before `deliver`. */
  lookupFirst: boolean;
}

export interface SubmitCommit {
  record: ActionRecord;
  submission: SubmissionRecord;
  patch: DocumentPatch;
  /** The status the submit was decided on; anything else stores nothing. */
  ifStatus: WorkflowStatus;
  /** When the first delivery attempt is due; null holds the delivery until approval (W4). */
  dueAt: number | null;
  /** J1: without approval the submit is the decision, stored in the same transaction. */
  decision?: DecisionRecord;
}

/** A delivery outcome was recorded (or not: already delivered, or a stale attempt). */
export type DeliveryOutcome = { recorded: false } | { recorded: true; document: DocumentRow | null };

/** J9: a place in the installation's identificatie sequence (server/submit/identificatie.ts formats it). */
export interface IdentificatieNumber {
  year: number;
  seq: number;
}

export interface SubmissionStore {
  /** Highest submission version of a document, 0 when none. */
  latestSubmissionVersion(docId: string): Promise<number>;
  /**
   * J9: the number of (docId, version) in the installation's identificatie sequence: the one
   * reserved before (a retry gets the same), else the next of `year`'s sequence, reserved in a
   * transaction of its own. No two (docId, version) ever get the same (year, seq).
   */
  reserveIdentificatie(request: { docId: string; version: number; year: number }): Promise<IdentificatieNumber>;
  /**
   * In one transaction: the action record, the submission, its outbox row and the document
   * patch. Stores nothing when the key is taken (`existing`), or when the row's status is not
   * `ifStatus` or the version is not the next one (`existing: null`). CL27: nor when the updates
   * stored for the document's room (`doc:<id>`) hold something `submission.content` lacks, read
   * under the same row lock an append of that room needs (`existing: null, contentMoved: true`).
   */
  commitSubmission(commit: SubmitCommit): Promise<CommitActionResult>;
  listSubmissions(docId: string): Promise<SubmissionListing[]>;
  /**
   * W4, in one transaction: the action record, the review and the document patch, and for an
   * approval the outbox row of `review.version`. Stores nothing when the key is taken
   * (`existing`), or when the row's status is not `ifStatus` or `review.version` is not the
   * latest submission (`existing: null`).
   */
  commitReview(commit: ReviewCommit): Promise<CommitActionResult>;
  /** Every review of a document, oldest first. */
  listReviews(docId: string): Promise<ReviewRecord[]>;
  getSubmission(docId: string, version: number): Promise<SubmissionRecord | null>;
  /**
   * Claims up to `limit` due pending deliveries (oldest due first): counts the attempt, marks
   * its outcome unknown and pushes `nextAttemptAt` to `now + leaseMs`, so a worker that dies
   * mid-attempt leaves a row that is due again after the lease, with a look-up first.
   */
  claimDueDeliveries(now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]>;
  /**
   * Records the DMS reference (O1). A success is a fact, so it counts from any attempt while
   * the row is pending. Moves the document to `in-dms` when it is waiting on this, its latest,
   * submission; returns the changed row.
   */
  recordDelivered(outcome: {
    identificatie: string;
    reference: string;
    at: number;
    /** J2: the letter left with this delivery: recorded in the same transaction, unless a dispatch is already there. */
    dispatch?: DispatchRecord;
  }): Promise<DeliveryOutcome>;
  /**
   * Makes these waiting deliveries due at `at` (the DMS answers again: no need to sit out the
   * backoff). Compare-and-set on `attempt`: a row claimed since (by any process) is left alone.
   * Returns how many rows moved.
   */
  hastenRetries(rows: readonly { identificatie: string; attempt: number }[], at: number): Promise<number>;
  /**
   * Records a failed or unknown attempt (O3); ignored unless `attempt` is the latest claim.
   * Moves an `ingediend` document to `levering-mislukt` when this is its latest submission.
   */
  recordDeliveryFailure(outcome: {
    identificatie: string;
    attempt: number;
    error: string;
    outcomeUnknown: boolean;
    nextAttemptAt: number;
    at: number;
    /** O4: give up: the row becomes `failed` and is not attempted again until retry-delivery. */
    giveUp?: boolean;
  }): Promise<DeliveryOutcome>;
  /**
   * Remembers (or, with null, forgets) the DMS lock a delivery holds (O5, O6), at once, before
   * the adapter goes on: it must survive a crash. Ignored when the row is delivered or unknown.
   */
  recordDeliveryLock(update: { identificatie: string; lock: string | null }): Promise<void>;
  /** J1: the decision on a version, with its PDF; null when none was taken (yet). */
  getDecision(docId: string, version: number): Promise<DecisionRecord | null>;
  /** J1, J2: every decision of a document without PDFs, with its dispatch, oldest version first. */
  listDecisions(docId: string): Promise<DecisionSummary[]>;
  /**
   * J2 mark-sent, in one transaction: the action record and the dispatch. Stores nothing when the
   * key is taken (`existing`), or when the row's status is not `ifStatus`, the version has no
   * decision or already has a dispatch (`existing: null`).
   */
  commitDispatch(commit: DispatchCommit): Promise<CommitActionResult>;
}

export interface TeamRow {
  id: string;
  name: string;
}

export type Role = 'field' | 'office' | 'approver' | 'admin';

export interface UserRow {
  id: string;
  username: string;
  name: string;
  teamId: string;
  roles: Role[];
  passwordHash: string;
  disabled: boolean;
  /** J4: printed under the name when this official signs, and in the letterhead's contact block. */
  functionTitle?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface DeviceRow {
  id: string;
  userId: string;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
  /** B6: what the app reported at its last sign-in or refresh; null when it never said (older apps). */
  appVersion?: string | null;
  /** B6: whether the browser promised to keep the app's data (`navigator.storage.persist`); null: unknown. */
  storagePersisted?: boolean | null;
  // ---- Device vault (K20–K29) ----
  /** SHA-256 (hex) of the status token the device asks `device-status` with; null for devices from before K20. */
  statusTokenHash?: string | null;
  /** base64url of the 32 bytes that wrap the device's data key a second time (K20); null before K20. */
  recoveryKey?: string | null;
  /**
   * K23: how a revocation treats unsent work on the device, as the admin or SCIM chose it; null
   * for revocations that chose nothing (sign-out, IdP refusal, deactivation, password reset).
   */
  wipe?: DeviceWipe | null;
  /** K25: the new device that took this device's recovery key (it may ask again, no one else). */
  recoveredBy?: string | null;
  // ---- end Device vault ----
}

/** K23: mirrors `WipeMode` of client/vault/types.ts. */
export type DeviceWipe = 'wipe-now' | 'send-then-wipe';

/** B6: what a device says about itself at sign-in and refresh. */
export interface DeviceReport {
  appVersion: string | null;
  storagePersisted: boolean | null;
}

/** B2: the fields an administrator may change on a user; absent fields stay as they are. */
export interface UserPatch {
  name?: string;
  teamId?: string;
  roles?: Role[];
  functionTitle?: string | null;
  disabled?: boolean;
}

export interface RefreshTokenRow {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  hash: string;
  userId: string;
  deviceId: string;
  expiresAt: number;
  /** Set when rotated; presenting a used token again revokes the device (token theft). */
  usedAt: number | null;
}

export interface AccountStore {
  countUsers(): Promise<number>;
  /**
   * CL24: the first start's accounts, all or nothing, only while no user exists. In one
   * transaction (PostgreSQL: under an advisory lock, so processes starting at once wait for each
   * other): when there is no user yet, creates the team unless it exists and every user, and
   * returns true; otherwise changes nothing and returns false.
   */
  seedAccounts(team: TeamRow, users: readonly UserRow[]): Promise<boolean>;
  createTeam(team: TeamRow): Promise<void>;
  getTeam(id: string): Promise<TeamRow | null>;
  createUser(user: UserRow): Promise<void>;
  getUser(id: string): Promise<UserRow | null>;
  findUserByUsername(username: string): Promise<UserRow | null>;
  /** J4: sets (or, with null, clears) the function title and contact details a letter prints. */
  updateUserProfile(id: string, profile: { functionTitle: string | null; email: string | null; phone: string | null }): Promise<void>;
  createDevice(device: DeviceRow): Promise<void>;
  getDevice(id: string): Promise<DeviceRow | null>;
  /** Last seen now; with a report (B6) also the app version and storage persistence it gave. */
  touchDevice(id: string, at: number, report?: DeviceReport): Promise<void>;
  /**
   * Revokes a device once (the first time is kept); true when this call revoked it. `wipe` (K23)
   * is stored with a revocation made now; for an already revoked device see `setDeviceWipe`.
   */
  revokeDevice(id: string, at: number, wipe?: DeviceWipe): Promise<boolean>;
  /** K23: changes the wipe mode of a revoked device (an admin makes a leaver's phone a lost one; a drain ended). */
  setDeviceWipe(id: string, wipe: DeviceWipe): Promise<void>;
  /** K25: records the new device that took this device's recovery key; false when another took it first. */
  markDeviceRecovered(id: string, byDeviceId: string): Promise<boolean>;
  /** K28: the server no longer holds this device's recovery key (its vault was rewrapped for another device). */
  forgetRecoveryKey(id: string): Promise<void>;
  saveRefreshToken(token: RefreshTokenRow): Promise<void>;
  /** Marks the token used and returns it as it was before; null when unknown. Atomic. */
  useRefreshToken(hash: string, at: number): Promise<RefreshTokenRow | null>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /**
   * CL24: stores `value` unless the key already holds one, and returns what the key holds then
   * (this value or the earlier one), atomically: of processes starting at once, all keep the same.
   */
  claimSetting(key: string, value: string): Promise<string>;

  // --- Administration (B): server/identity/admin ---
  /** Every user, ordered by name then username. */
  listUsers(): Promise<UserRow[]>;
  /** Applies the defined fields; false when no such user. A team that does not exist throws. */
  updateUser(id: string, patch: UserPatch): Promise<boolean>;
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
  /** Every team, ordered by name. */
  listTeams(): Promise<TeamRow[]>;
  renameTeam(id: string, name: string): Promise<boolean>;
  /** The devices that ever signed in as this user, newest first, revoked ones included. */
  listDevices(userId: string): Promise<DeviceRow[]>;
  // revokeUserDevices (B3, B4) is ScimStore's (C4): the same operation for both.
}

// ---- Web Push (Y8–Y15) ----
/** Y9: one device's Web Push subscription (the browser's endpoint and its encryption keys). */
export interface PushSubscriptionRow {
  /** One subscription per device: a new one replaces the old. */
  deviceId: string;
  userId: string;
  /** The push service's URL for this browser (an allowed push service, Y12). */
  endpoint: string;
  /** base64url of the browser's P-256 public key (65 bytes) and auth secret (16 bytes), RFC 8291. */
  p256dh: string;
  auth: string;
  createdAt: number;
}

export interface PushStore {
  /** Stores or replaces the device's subscription. */
  savePushSubscription(row: PushSubscriptionRow): Promise<void>;
  /** Y13: the device's subscription goes (unsubscribe, revocation, wipe); true when there was one. */
  deletePushSubscription(deviceId: string): Promise<boolean>;
  /** Y13: the push service said 404/410: this endpoint is gone. */
  deletePushEndpoint(endpoint: string): Promise<void>;
  getPushSubscription(deviceId: string): Promise<PushSubscriptionRow | null>;
  /** Every subscription of these users. */
  listPushSubscriptions(userIds: readonly string[]): Promise<PushSubscriptionRow[]>;
  /**
   * Y11: records that the notice `key` (an event: document, kind, version) was pushed; true only
   * the first time, in any process, so each event is pushed once.
   */
  claimPushNotice(key: string, at: number): Promise<boolean>;
}
// ---- end Web Push ----

export interface Store extends DocumentStore, AccountStore, SubmissionStore, ScimStore, IdentityLinkStore, AttachmentStore, PushStore, DraftStore {
  /** The append-only audit trail in the same database (U1, U2). */
  readonly audit: AuditLog;
  /** True when the database answers (health check). */
  ping(): Promise<boolean>;
  close(): Promise<void>;

  // --- Back office view of the outbox (GET /api/outbox, /metrics) ---
  /**
   * The team's deliveries with their submission and document title: undelivered first, then
   * newest submission first; at most `limit`.
   */
  listTeamDeliveries(teamId: string, limit: number): Promise<TeamDelivery[]>;
  /** Outbox rows by state, over all teams: waiting (no error yet), failed (last attempt failed), delivered. */
  countDeliveries(): Promise<DeliveryCounts>;
}

/** One row of the back office's outbox view; `sending` (J1, J2): the decision's day and how and when it was sent. */
export type TeamDelivery = SubmissionSummary & { title: string; sending?: TeamSending | null };

export interface TeamSending {
  dagtekening: string;
  sentOn: SentOn;
  verzenddatum: string | null;
  bezwaartermijnEinde: string | null;
}

export interface DeliveryCounts {
  waiting: number;
  failed: number;
  delivered: number;
}

/** Who sent one update, kept after compaction has folded the update itself into the snapshot. */
export interface UpdateHistoryRow {
  seq: number;
  userId: string | null;
  deviceId: string | null;
  connId: string | null;
  at: number;
  /** Size of the update in bytes. */
  size: number;
}

/** Audit view of a document's updates; separate from `Store` so existing fakes of it still compile. */
export interface UpdateHistoryReader {
  /** Every update ever appended for `docId` (compacted or still in the log), in seq order. */
  listUpdateHistory(docId: string): Promise<UpdateHistoryRow[]>;
}

/** C2: what ties a user or team to the identity provider's SCIM resource of it. */
export interface ScimLink {
  /** The IdP's own id for it (Entra: the object id); null when the IdP sent none. */
  externalId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ScimUser {
  user: UserRow;
  link: ScimLink;
}

export interface ScimGroup {
  team: TeamRow;
  link: ScimLink;
  /** User ids, in the order they joined (the first one decides nothing here: see `ScimStore`). */
  members: string[];
}

/** A change of one group's members; `replace` sets the whole list (adds and removes are then ignored). */
export interface ScimMembersChange {
  add: readonly string[];
  remove: readonly string[];
  replace?: readonly string[];
}

/**
 * Provisioning (C1–C9): users and teams the IdP manages over SCIM, and their group memberships.
 * Only linked users and teams are visible here: local accounts and teams are not the IdP's.
 * A user may be in several groups but has one team (C6): after every membership change the store
 * sets, in the same transaction, each affected user's team to the group they joined first that
 * they are still in, or to `unassignedTeamId` when none.
 */
export interface ScimStore {
  listScimUsers(): Promise<ScimUser[]>;
  getScimUser(id: string): Promise<ScimUser | null>;
  /** Creates the user and its link in one transaction; throws UniqueViolation on a taken username. */
  createScimUser(user: UserRow, link: ScimLink): Promise<void>;
  /**
   * Writes username, name, disabled, email and function title of a linked user, and its link.
   * With `revokeDevicesAt` (C4: a deactivation) every device of the user not revoked yet is
   * revoked in the same transaction, so no crash leaves a disabled user with live devices that a
   * later re-enable would bring back. Returns the revoked device ids.
   */
  updateScimUser(user: UserRow, link: ScimLink, options?: { revokeDevicesAt?: number; wipe?: DeviceWipe }): Promise<string[]>;
  /**
   * C5: the user leaves SCIM: link and memberships go, the row stays (documents and reviews name
   * it) disabled, in `unassignedTeamId`, its username freed as `deleted:<id>`; its devices are
   * revoked at `at`, all in one transaction. Returns the revoked device ids.
   */
  retireScimUser(id: string, unassignedTeamId: string, at: number, wipe?: DeviceWipe): Promise<string[]>;
  listScimGroups(): Promise<ScimGroup[]>;
  getScimGroup(id: string): Promise<ScimGroup | null>;
  /** Creates the team and its link in one transaction. */
  createScimGroup(team: TeamRow, link: ScimLink): Promise<void>;
  /** Renames the linked team and writes its link. */
  updateScimGroup(team: TeamRow, link: ScimLink): Promise<void>;
  /** Unlinks the team (its row stays: documents belong to it); returns the members whose team changed. */
  deleteScimGroup(id: string, unassignedTeamId: string): Promise<string[]>;
  /**
   * Applies a membership change in one transaction; every id must be a linked user (else it
   * throws and nothing changes). Returns the users whose team changed.
   */
  changeScimMembers(teamId: string, change: ScimMembersChange, at: number, unassignedTeamId: string): Promise<string[]>;
  /** C4: revokes every device of the user not revoked yet; returns their ids. */
  revokeUserDevices(userId: string, at: number, wipe?: DeviceWipe): Promise<string[]>;
}

/** I4, I6: one device's sign-in at the municipality's IdP, kept to ask the IdP again on refresh. */
export interface IdpSessionRow {
  deviceId: string;
  userId: string;
  issuer: string;
  subject: string;
  /** The IdP's session id (`sid`), when it sent one: a back-channel logout names it. */
  sid: string | null;
  /** The IdP's refresh token; null when it gave none (then only a logout can end the session early). */
  refreshToken: string | null;
  /** The last ID token, the `id_token_hint` of an RP-initiated logout. */
  idToken: string | null;
  createdAt: number;
}

/** I3: users linked to an IdP subject, and their devices' IdP sessions (I4–I7). */
export interface IdentityLinkStore {
  findUserByIdentity(issuer: string, subject: string): Promise<UserRow | null>;
  /** The (issuer, subject) a user is linked to; null for an unlinked (local) user. */
  getIdentityOf(userId: string): Promise<{ issuer: string; subject: string } | null>;
  /** Links an existing user; false (nothing changed) when the user or the subject is linked already. */
  linkIdentity(userId: string, issuer: string, subject: string): Promise<boolean>;
  /** Creates the user and its link in one transaction. */
  createLinkedUser(user: UserRow, issuer: string, subject: string): Promise<void>;
  /** Name, email, roles and team as the IdP says them now. */
  updateUserFromIdentity(id: string, patch: { name: string; email: string | null; roles: Role[]; teamId: string }): Promise<void>;
  saveIdpSession(row: IdpSessionRow): Promise<void>;
  getIdpSession(deviceId: string): Promise<IdpSessionRow | null>;
  updateIdpSession(deviceId: string, patch: { refreshToken: string | null; idToken: string | null }): Promise<void>;
  /** Devices signed in through this IdP session (sid), or by this subject; revoked ones too. */
  listIdpSessionDevices(issuer: string, by: { sid: string } | { subject: string }): Promise<string[]>;
}

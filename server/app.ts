// Wires the server together: store, accounts, rooms, index mirror, templates, submissions, the
// outbox worker with its DMS adapter, HTTP and WebSocket routes. `startServer` is what `npm start`
// (server/main.ts) and every integration test call, so tests run exactly the server operators run.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { decodeJwt } from 'jose';
import { ReadAlongWatch } from './audit/read-along-watch';
import { createAuditRecorder, SERVER_ACTOR, type AuditEvent, type AuditRecorder } from './audit/recorder';
import { createAuthService } from './auth/auth-service';
import { attachmentPurgerOf, startDraftHousekeeping, type AttachmentPurger } from './drafts/purge';
import { registerDraftRoutes } from './drafts/draft-routes';
import { DAY_MS, DEFAULT_DRAFT_RETENTION_DAYS } from './http/draft-actions';
import { isDiscarded } from './store/drafts';
import { registerDeviceRoutes } from './devices/device-routes';
import { defaultDeviceSettings, type DeviceSettings } from './devices/settings';
import { seedDemoAccounts } from './auth/demo-seed';
import { registerAuditRoutes } from './http/audit-routes';
import { registerAuthRoutes } from './http/auth-routes';
import type { OidcConfig } from './identity/oidc/config';
import { createIdpClient } from './identity/oidc/idp-client';
import { createOidcService, type OidcEvent, type OidcService } from './identity/oidc/oidc-service';
import { registerOidcRoutes } from './identity/oidc/oidc-routes';
import { createAdminService } from './identity/admin/admin-service';
import { registerAdminRoutes } from './identity/admin/admin-routes';
import { registerErrorBodies, sendNotFound } from './http/error-bodies';
import { registerHealthRoutes } from './http/health-routes';
import { LOG_REDACT_PATHS, REDACTED, serializeRequest } from './http/log-redaction';
import { registerDocumentLogContext } from './http/log-context';
import { registerSecurityHeaders, securityHeaders } from './http/security-headers';
import { createHealth, diskWatchedDirs } from './health/health';
import { checkDataDir, DataDirError, writeMarker, type DataDirMarker } from './store/data-dir-marker';
import { registerDocumentRoutes } from './http/document-routes';
import { createAttachmentService } from './attachments/attachment-service';
import { registerAttachmentRoutes } from './attachments/attachment-routes';
import { checkAttachmentSettings, defaultAttachmentSettings, type AttachmentSettings } from './attachments/settings';
import { UploadQuota } from './limits/upload-quota';
import { readCommittedContent } from './submit/content';
import { readAttachments } from '../shared/model/attachments';
import * as Y from 'yjs';
import { registerLogoRoute } from './http/logo-route';
import { registerMunicipalityRoute } from './http/municipality-route';
import { registerOutboxRoutes } from './http/outbox-routes';
import { registerTemplateRoutes } from './http/template-routes';
import { registerVersionRoutes } from './http/version-routes';
import { createScimService } from './identity/scim/scim-service';
import { registerScimRoutes } from './identity/scim/scim-routes';
import { IndexService } from './index/index-service';
import { defaultPushSettings, type PushSettings } from './push/config';
import { createNoticePush } from './push/notice-push';
import { registerPushRoutes } from './push/push-routes';
import { createPushSender } from './push/push-sender';
import { loadVapidKeys } from './push/vapid';
import { checkTrafficLimits, defaultTrafficLimits, type TrafficLimits } from './limits/settings';
import { createTrafficControl } from './limits/traffic-control';
import { startClusterState, type ClusterState } from './cluster/cluster-state';
import type { Revocation } from './cluster/revocation-bus';
import { createFilesystemDms } from './dms/filesystem';
import { createMemoryDms } from './dms/memory';
import { createMetrics } from './metrics/metrics';
import { registerMetricsRoute } from './metrics/metrics-route';
import type { DmsAdapter } from './dms/types';
import { OutboxWorker, type OutboxTiming } from './outbox/outbox-worker';
import type { LetterLogo } from './pdf/logo';
import type { DesignatedDay } from '../shared/law/designated-days';
import type { LetterPdfInput } from './pdf/render-letter';
import { inProcessRenderer, workerRenderer } from './pdf/pdf-renderer';
import { createMemoryStore } from './store/memory/store';
import { openSqliteStore } from './store/sqlite/store';
import { openPostgresStore } from './store/postgres/store';
import type { DocumentRow, Store, UpdateHistoryReader } from './store/types';
import type { AccessVerifier } from './sync/auth-port';
import { defaultSyncLimits, type SyncLimits } from './sync/limits';
import { EditGate } from './sync/edit-gate';
import { RoomManager } from './sync/room-manager';
import { createRedisRoomBus } from './cluster/redis-room-bus';
import type { RoomBus } from './cluster/room-bus';
import { RoomRelay } from './cluster/room-relay';
import { defaultUpdateBounds, type UpdateBounds } from './sync/update-guard';
import { registerSyncRoute, type SyncServer } from './sync/ws-route';
import { prepareSubmission } from './submit/prepare-submission';
import { amsterdamDate } from './submit/hashing';
import { checkTemplatesAtStart } from './templates/dms-check';
import { renderDecision } from './submit/render-decision';
import { loadTemplatesDir } from './templates/load-dir';
import { TemplateRegistry } from './templates/registry';
import { builtinTemplates } from '../shared/templates/builtin/index';
import { registerZaakRoutes } from './zaken/zaak-routes';
import { zaakProblem } from './zaken/submit-check';
import type { ZaakLookup } from './zaken/zaak-lookup';
import { defaultZaakLookupSettings } from './zaken/settings';
import type { MunicipalityContact } from '../shared/protocol/municipality';

export const DEFAULT_MUNICIPALITY = 'Gemeente Voorbeeld';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Folder for the SQLite file; null keeps everything in memory (tests). */
  dataDir: string | null;
  /** An already opened store (tests wrap one to observe or delay commits); wins over dataDir. */
  store?: Store;
  /**
   * DATABASE_URL (DB5): postgres://… puts the store in PostgreSQL instead of SQLite under
   * dataDir (which still holds the filesystem DMS); absent or null keeps SQLite.
   */
  databaseUrl?: string | null;
  /** DATABASE_POOL_MAX: PostgreSQL connections of this process (default 10). */
  databasePoolMax?: number;
  demoPassword?: string;
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Where the JSON log goes; stdout when absent (tests read what an operator would see). */
  logStream?: NodeJS.WritableStream;
  limits?: Partial<SyncLimits>;
  /** Bounds on a client's Yjs update: depth, structs, decoded size (L1). */
  updateBounds?: Partial<UpdateBounds>;
  /** Back-pressure, rates, quotas and ping/pong of the sync server (SYNC_* settings, L5–L9). */
  trafficLimits?: Partial<TrafficLimits>;
  /** How long an unused room stays in memory. */
  idleMs?: number;
  accessTtlSeconds?: number;
  /** SQLite durability; FULL (default) syncs every commit to disk. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** Built client to serve; null serves none. Defaults to ./dist when it exists. */
  staticDir?: string | null;
  now?: () => number;
  /**
   * Tests: whether this server acts on a message another process published (revocations, status
   * news, submit holds); false plays a message that arrives late or is lost (CL16, CL26–CL28).
   */
  hearsFromElsewhere?: (revocation: Revocation) => boolean;
  /** Fastify `trustProxy`: the proxy's address(es); only then is X-Forwarded-For believed. */
  trustProxy?: string | false;
  /** A municipality's own templates, one JSON file each (TEMPLATES_DIR); invalid files are logged and skipped. */
  templatesDir?: string;
  /** Letterhead and mandate line of every letter (MUNICIPALITY_NAME). */
  municipality?: string;
  /** The letterhead's logo (MUNICIPALITY_LOGO, checked by loadLogo); none prints the name alone. */
  logo?: LetterLogo | null;
  /** J5: days designated under Atw art. 3 lid 3 beyond the built-in table (HOLIDAYS_FILE). */
  designatedDays?: readonly DesignatedDay[];
  /** The letterhead's contact details (MUNICIPALITY_ADDRESS …, read by readMunicipalityContact). */
  contact?: MunicipalityContact;
  /** 'worker' (default): submits render their PDF in a worker thread, off the event loop. */
  pdfRendering?: 'worker' | 'in-process';
  /** The worker pool's size and each render's time limit (PDF_WORKERS, PDF_RENDER_TIMEOUT_MS; P12). */
  pdfPool?: { workers?: number; timeoutMs?: number };
  /** Drop folder of the filesystem DMS; defaults to `<dataDir>/dms`. */
  dmsDir?: string;
  /** RSIN written as `bronorganisatie` into the DMS metadata (ZGW_RSIN). */
  bronorganisatie?: string;
  /** A DMS adapter to use instead of the filesystem one (tests). With dataDir null and no
   *  dmsDir the DMS is in memory too. */
  dms?: DmsAdapter;
  /** Outbox worker timing (tests shorten the retry delays). */
  outbox?: Partial<OutboxTiming>;
  /** METRICS_TOKEN: when set, /metrics requires it as a bearer token; otherwise loopback only. */
  metricsToken?: string;
  /** SCIM_TOKEN (C1): with it, SCIM 2.0 provisioning answers at /scim/v2; without it that path is a plain 404. */
  scimToken?: string;
  /** DISK_MIN_FREE_MB in bytes: /api/health answers 503 `disk-nearly-full` below it (G7). */
  diskMinFreeBytes?: number;
  /** I1: the municipality's IdP (OIDC_*, read by readIdentityConfig); absent or null: none. */
  oidc?: OidcConfig | null;
  /** I8: LOCAL_LOGIN=off refuses every username and password (default on). */
  localLogin?: boolean;
  /** K21: DEVICE_* and SCIM_DEPROVISION_WIPE (read by readDeviceSettings); defaults when absent. */
  device?: DeviceSettings;
  /** F10: ATTACHMENT_* (read by readAttachmentSettings); defaults when absent. */
  attachments?: Partial<AttachmentSettings>;
  /** Y8–Y15: PUSH_SERVICE_HOSTS, PUSH_CONTACT (read by readPushSettings); defaults when absent. */
  push?: Partial<PushSettings>;
  /** X1: the zaak look-up (ZGW's Zaken API, built by main.ts); absent or null: the zaak field stays free text. */
  zaakLookup?: ZaakLookup | null;
  /** X5: look-ups one user may make per minute (ZAAK_LOOKUP_PER_MINUTE). */
  zaakLookupPerMinute?: number;
  // ---- Drafts (E1–E12) ----
  /** E5: DRAFT_RETENTION_DAYS: a discarded concept is restorable this long, then purged (default 30). */
  draftRetentionDays?: number;
  /** E5: how often the housekeeping looks for expired discarded concepts (default hourly; tests shorten it). */
  draftHousekeepingMs?: number;
  /** E5: the attachment store's `deleteAttachments`, called when a discarded concept is purged. */
  attachmentPurger?: AttachmentPurger;
  // ---- end Drafts ----
  // ---- Rooms across processes (CL1–CL9) ----
  /** REDIS_URL: every process may hold a room; committed updates and awareness are relayed on Redis. */
  redisUrl?: string;
  /** A RoomBus instead of Redis (tests: servers in one process on a memory hub); wins over redisUrl. */
  roomBus?: RoomBus;
  // ---- end Rooms across processes ----
  // ---- Revocation, quotas and rate limits across processes (CL10–CL19) ----
  // redisUrl (above) also shares revocations, sign-in limits and socket quotas with the other processes.
  // ---- end Revocation, quotas and rate limits across processes ----
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  rooms: RoomManager;
  sync: SyncServer;
  dms: DmsAdapter;
  outbox: OutboxWorker;
  /** The audit trail (U1–U9): `audit.record(actorOf(request, claims), { action, ... })`; `audit.log` queries. */
  audit: AuditRecorder;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  // F10: contradictory attachment limits stop the start before anything is opened.
  const attachmentSettings = { ...defaultAttachmentSettings, ...options.attachments };
  const attachmentProblem = checkAttachmentSettings(attachmentSettings);
  if (attachmentProblem !== null) throw new Error(attachmentProblem);
  // G9: a data dir that lost its database or WAL stops the start here, before anything is seeded.
  const opened = options.store === undefined ? await openStore(options) : { store: options.store, marker: null, dataDir: null };
  const health = createHealth({
    dirs: diskWatchedDirs({ dataDir: options.dataDir, databaseUrl: options.databaseUrl, dmsDir: options.dms === undefined ? filesystemDmsDir(options) : null }),
    minFreeBytes: options.diskMinFreeBytes,
    ping: () => opened.store.ping(),
  });
  const store = health.watch(opened.store);
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      serializers: { req: serializeRequest },
      redact: { paths: LOG_REDACT_PATHS, censor: REDACTED },
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
    // Request ids name a logged failure in its 500 answer (G4); random, never the client's.
    genReqId: () => randomUUID(),
    // Stopping is answered by our own hook, with the security headers (G3, G8).
    return503OnClosing: false,
    // A URL that cannot be decoded never reaches the hooks; Fastify's own answer would echo it
    // (a token with it) and carry no security headers (G3, G4).
    frameworkErrors: (_error, request, reply) => {
      void (reply as FastifyReply)
        .code(400)
        .headers(securityHeaders(request.id, { behindHttpsProxy: Boolean(options.trustProxy) }))
        .header('cache-control', 'no-store')
        .send({ error: 'bad-request' });
    },
    bodyLimit: 1024 * 1024,
    // After preClose has committed and said 4503, keep-alive connections that devices keep busy
    // (health checks, action replays) must not hold the shutdown open; actions are idempotent.
    forceCloseConnections: true,
    // Behind a reverse proxy set TRUST_PROXY to its address; X-Forwarded-For is otherwise forgeable.
    trustProxy: options.trustProxy ?? false,
  });
  const onError = (error: unknown, context: string): void => app.log.error({ err: error, context }, 'background task failed');
  registerSecurityHeaders(app, { behindHttpsProxy: Boolean(options.trustProxy) });
  registerErrorBodies(app);
  registerDocumentLogContext(app); // OP22: a document route's lines name its document
  registerHealthRoutes(app, health);
  // U1: one trail for every part of the server; routes record through it after their commit.
  const audit = createAuditRecorder(store.audit, now, onError);
  // CL10–CL19: with REDIS_URL, revocations, sign-in limits and quotas hold over every process.
  const cluster: ClusterState | null = options.redisUrl === undefined ? null : await startClusterState({ url: options.redisUrl, now, onError });

  await seedDemoAccounts({
    store,
    demoPassword: options.demoPassword,
    log: (message: string) => app.log.warn(message),
    newId: randomUUID,
  });
  const deviceSettings = options.device ?? defaultDeviceSettings;
  // I5: a device signed in at the IdP is asked about there on every refresh (set just below).
  let oidc: OidcService | null = null;
  const auth = createAuthService({
    store,
    now,
    accessTtlSeconds: options.accessTtlSeconds,
    localLogin: options.localLogin ?? true,
    refreshCheck: (device) => oidc?.checkRefresh(device) ?? Promise.resolve(true),
    lockPolicy: deviceSettings.lockPolicy,
    drainDays: deviceSettings.drainDays,
    rateLimiter: cluster?.loginLimiter,
  });
  if (options.oidc) {
    oidc = createOidcService({
      config: options.oidc,
      idp: createIdpClient(options.oidc),
      store,
      auth,
      now,
      newId: randomUUID,
      onEvent: async (event) => {
        app.log.info({ oidc: event }, `oidc ${event.kind}`);
        const actor = { userId: event.userId, deviceId: event.deviceId, address: event.address };
        for (const record of oidcAuditEvents(event)) await audit.record(actor, record);
      },
    });
  }
  // K24: the sync route admits a draining device (revoked with send-then-wipe) to send its own work.
  const verifier: AccessVerifier = {
    async verifyAccessToken(token) {
      const result = await auth.verifyAccessTokenForDrain(token);
      if (!result.ok) return result;
      const { exp } = decodeJwt(token);
      return { ok: true, claims: { ...result.claims, expiresAt: (exp ?? 0) * 1000 } };
    },
  };

  const index = new IndexService({ store, now, onError });
  // U5: a citizen's signature in read-along is recorded once its update is committed.
  let syncServer: SyncServer | null = null;
  const readAlong = new ReadAlongWatch(audit, (connId) => syncServer?.addressOf(connId) ?? null);
  // V1: every status the server learns goes through here, so the sync apply path sees it.
  const edits = new EditGate(now);
  // Y8, Y11: the VAPID key pair is made on the first start and kept in the database.
  const pushSettings: PushSettings = { ...defaultPushSettings, ...options.push };
  const vapid = await loadVapidKeys(store);
  const noticePush = createNoticePush({
    store,
    now,
    sender: createPushSender({ store, vapid, settings: pushSettings, now, onError }),
  });
  const documentChanged = (row: DocumentRow): Promise<void> => {
    edits.setStatus(row.id, row.status, isDiscarded(row));
    // E4: a discarded concept's open sockets close at once with the reason the app shows.
    if (isDiscarded(row)) {
      syncServer?.closeDocument(row.id);
      cluster?.revocations.publish({ kind: 'document', docId: row.id });
    } else {
      // CL21, CL23: every other process reads the row again (its gate and index cache follow).
      cluster?.revocations.publish({ kind: 'document-status', docId: row.id });
    }
    // Y11: a push is news on the side; it never holds up the action or the outbox.
    noticePush.documentChanged(row).catch((error: unknown) => onError(error, `push ${row.id}`));
    return index.documentChanged(row);
  };
  // Y13: a revoked (or wiped, or signed-out) device gets no more pushes; its sockets close too.
  const deviceRevoked = (deviceId: string): void => {
    syncServer?.closeDevice(deviceId);
    cluster?.revocations.publish({ kind: 'device', deviceId });
    store.deletePushSubscription(deviceId).catch((error: unknown) => onError(error, 'push subscription delete'));
  };
  // C6: a moved user's sockets close here and, through the bus, in every other process (CL10).
  const userChanged = (userId: string, reason: string): void => {
    syncServer?.closeUser(userId, reason);
    cluster?.revocations.publish({ kind: 'user', userId, reason });
  };
  // CL21, CL23: another process changed this row; the store says what it is now.
  const refreshRow = async (docId: string): Promise<void> => {
    try {
      const row = await store.getDocument(docId);
      if (row === null) return;
      // A room loaded later reads the row itself (afterLoad); only loaded ones need telling.
      if (edits.tracks(docId)) edits.setStatus(row.id, row.status, isDiscarded(row));
      index.rowChanged(row);
    } catch (error) {
      onError(error, `document status ${docId}`);
    }
  };
  // CL10: what another process revoked closes this process's sockets with the same code and reason.
  cluster?.revocations.subscribe((revocation: Revocation) => {
    if (options.hearsFromElsewhere?.(revocation) === false) return;
    if (revocation.kind === 'device') syncServer?.closeDevice(revocation.deviceId);
    else if (revocation.kind === 'user') syncServer?.closeUser(revocation.userId, revocation.reason);
    else if (revocation.kind === 'document') syncServer?.closeDocument(revocation.docId);
    // CL29: a submit on another process holds this process's edits of the document too.
    else if (revocation.kind === 'submit-hold') edits.holdFromElsewhere(revocation.docId, revocation.holdId);
    else if (revocation.kind === 'submit-release') edits.releaseFromElsewhere(revocation.docId, revocation.holdId);
    else void refreshRow(revocation.docId);
  });
  const draftRetentionMs = (options.draftRetentionDays ?? DEFAULT_DRAFT_RETENTION_DAYS) * DAY_MS;
  const roomBus = options.roomBus ?? (options.redisUrl === undefined ? null : createRedisRoomBus({ url: options.redisUrl, onError }));
  const relay = roomBus === null ? undefined : new RoomRelay(roomBus, onError);
  const rooms = new RoomManager({
    store,
    now,
    relay,
    idleMs: options.idleMs,
    afterLoad: async (room) => {
      readAlong.loaded(room);
      if (room.name.kind === 'doc') {
        const row = await store.getDocument(room.name.docId);
        if (row !== null) edits.setStatus(row.id, row.status, isDiscarded(row));
      }
      await index.reconcile(room);
    },
    afterCommit: (committed) => {
      index.afterCommit(committed);
      void readAlong.committed(committed);
    },
    afterUnload: (room) => {
      if (room.name.kind === 'doc') {
        index.forget(room.name.docId);
        readAlong.forget(room.name.docId);
        edits.forget(room.name.docId);
      }
    },
    editRefusal: (room) => (room.name.kind === 'doc' ? edits.refusal(room.name.docId) : null),
    onError,
    onApplyFailed: (error, room) => {
      app.log.error({ err: error, room: room.key }, 'applying an update failed; room reloaded from the store');
      metrics.onUpdateApplyFailed();
    },
  });
  index.attach(rooms);
  relay?.attach(rooms);

  const templates = new TemplateRegistry(builtinTemplates);
  if (options.templatesDir !== undefined) {
    const loaded = loadTemplatesDir(options.templatesDir, templates);
    for (const refused of loaded.refused) app.log.warn({ file: refused.file }, refused.message);
    if (loaded.loaded.length > 0) app.log.info(`Sjablonen uit ${options.templatesDir}: ${loaded.loaded.join(', ')}`);
  }
  const dms = options.dms ?? openDms(options);
  const zaakLookup = options.zaakLookup ?? null;
  // Z22, Z23: the DMS checks the types the templates rely on (ZGW: the Catalogi API), once at start.
  const refusedTemplates = await checkTemplatesAtStart(app, dms, templates, amsterdamDate(now()));
  const metrics = createMetrics({
    countDeliveries: () => store.countDeliveries(),
    openSockets: () => syncServer?.openSockets ?? 0,
    loadedRooms: () => rooms.loadedCount,
  });
  const outbox = new OutboxWorker({
    store,
    dms,
    now,
    timing: options.outbox,
    documentChanged,
    approvalOf: async (docId, version) =>
      (await store.listReviews(docId)).find((r) => r.version === version && r.kind === 'approved') ?? null,
    onError,
    onDelivered: (latencyMs, adapterName) => metrics.onDelivered(latencyMs, adapterName),
    onFailed: (reason) => metrics.onFailed(reason),
    designatedDays: options.designatedDays ?? [],
    // U5: the worker acts for nobody in particular: no user, device or address.
    onSettled: (event) => {
      // OP22: the operator's line of a delivery: ids only (a reference may carry a zaaknummer).
      app.log.info({ docId: event.docId, version: event.version, identificatie: event.identificatie }, event.kind === 'delivered' ? 'delivered to the DMS' : 'delivery failed');
      return audit.record(SERVER_ACTOR, {
        action: event.kind === 'delivered' ? 'delivered' : 'delivery-failed',
        documentId: event.docId,
        details:
          event.kind === 'delivered'
            ? { version: event.version, identificatie: event.identificatie, reference: event.reference.slice(0, 500) }
            : { version: event.version, identificatie: event.identificatie, error: event.error.slice(0, 500) },
      });
    },
  });

  // Sign-out revokes the device; its open sockets go too, not only at their token's expiry.
  const pdf = options.pdfRendering === 'in-process' ? inProcessRenderer() : workerRenderer({ ...options.pdfPool, onError: (error) => onError(error, 'pdf worker') });
  registerAuthRoutes(app, auth, {
    onDeviceRevoked: deviceRevoked,
    audit,
    ownerOf: async (deviceId) => (await store.getDevice(deviceId))?.userId ?? null,
  });
  registerDeviceRoutes(app, {
    auth,
    store,
    now,
    drainDays: deviceSettings.drainDays,
    audit,
    onDeviceRevoked: deviceRevoked,
    statusLimiter: cluster?.statusLimiter,
  });
  registerOidcRoutes(app, {
    oidc,
    auth,
    localLogin: options.localLogin ?? true,
    onDeviceRevoked: deviceRevoked,
    onError,
    onSignedOut: async (deviceId, address) => {
      const userId = (await store.getDevice(deviceId))?.userId ?? null;
      await audit.record({ userId, deviceId, address }, { action: 'sign-out', details: { reason: 'sign-out', via: 'oidc' } });
    },
  });
  registerTemplateRoutes(app, { auth, templates });
  const letterDeps = {
    store,
    templates,
    municipality: options.municipality ?? DEFAULT_MUNICIPALITY,
    logo: options.logo ?? null,
    designatedDays: options.designatedDays ?? [],
    ...(options.contact === undefined ? {} : { contact: options.contact }),
    renderPdf: (pdfInput: LetterPdfInput) => pdf.render(pdfInput),
  };
  registerDocumentRoutes(app, {
    auth,
    deviceWrote: deviceWroteFrom(store),
    store,
    index: { documentChanged },
    holdEdits: (docId) => {
      // V1 here; CL29 in every other process: their devices stop moving the content this submit reads.
      const release = edits.hold(docId);
      const holdId = randomUUID();
      cluster?.revocations.publish({ kind: 'submit-hold', docId, holdId });
      return () => {
        release();
        cluster?.revocations.publish({ kind: 'submit-release', docId, holdId });
      };
    },
    draftRetentionMs,
    now,
    prepareSubmission: (input) =>
      prepareSubmission(
        {
          ...letterDeps,
          rooms,
          refusedTemplate: (id, version) => refusedTemplates.get(`${id}@${version}`) ?? null,
          maxAttachments: attachmentSettings.maxPerDocument,
          // X7: an unknown or closed zaak is refused at submit when the DMS can tell.
          ...(zaakLookup === null
            ? {}
            : { checkZaak: async (zaak: string, userId: string, section: string) => zaakProblem(zaakLookup, zaak, { id: userId, name: (await store.getUser(userId))?.name ?? userId }, section) }),
        },
        input,
      ),
    // J1: the decision on a version, printed as of `at` with the decider as signer.
    renderDecision: async ({ docId, version, deciderId, at }) => {
      const submission = await store.getSubmission(docId, version);
      if (submission === null) throw new Error(`no submission ${docId} v${version}`);
      return renderDecision(letterDeps, { submission, deciderId, at });
    },
    deliveryQueued: () => outbox.kick(),
    designatedDays: options.designatedDays ?? [],
    nameOf: async (userId) => (await store.getUser(userId))?.name ?? userId,
    audit,
  });
  // F1–F17: attachment uploads beside the documents (server/attachments).
  const attachments = createAttachmentService({
    store,
    settings: attachmentSettings,
    quota: new UploadQuota(attachmentSettings.dailyBytesPerUser, now),
    listedIds: (docId) => listedAttachmentIds(rooms, docId),
    now,
    onStored: (row, caller) =>
      audit.record(caller.actor ?? { userId: caller.userId, deviceId: null, address: null }, {
        action: 'attachment-stored',
        documentId: row.docId,
        details: { attachmentId: row.id, size: row.size, sha256: row.sha256 },
      }),
  });
  registerAttachmentRoutes(app, { auth, service: attachments, store, deviceWrote: deviceWroteFrom(store), audit, chunkBytes: attachmentSettings.chunkBytes });
  registerDraftRoutes(app, { auth, store, retentionMs: draftRetentionMs, nameOf: async (userId) => (await store.getUser(userId))?.name ?? null });
  registerOutboxRoutes(app, { auth, store });
  registerPushRoutes(app, { auth, store, publicKey: vapid.publicKey, settings: pushSettings, now });
  registerZaakRoutes(app, {
    auth,
    lookup: zaakLookup,
    perMinute: options.zaakLookupPerMinute ?? defaultZaakLookupSettings.perMinute,
    now,
    nameOf: async (userId) => (await store.getUser(userId))?.name ?? userId,
  });
  registerAuditRoutes(app, { auth, audit, store, nameOf: async (userId) => (await store.getUser(userId))?.name ?? null });
  // B1–B9: users, teams and devices for the admin role; a revoked device's sockets close at once.
  // B8: each admin action is one audit entry, written after the change was stored.
  const admin = createAdminService({
    store,
    now,
    closeDevice: deviceRevoked,
    closeUser: userChanged,
    onEvent: ({ actor, action, details }) => audit.record(actor, { action, details }),
  });
  registerAdminRoutes(app, { auth, admin });
  registerVersionRoutes(app, { auth, store, templates });
  registerLogoRoute(app, options.logo ?? null);
  registerMunicipalityRoute(app, { name: options.municipality ?? DEFAULT_MUNICIPALITY, contact: options.contact ?? {} });
  registerMetricsRoute(app, { metrics, token: options.metricsToken });
  if (options.scimToken !== undefined && options.scimToken !== '') {
    const scim = createScimService({
      store,
      now,
      deprovisionWipe: deviceSettings.scimDeprovisionWipe,
      events: {
        // C4, C6: a deactivated user's devices and a moved user's sockets go now, not at token expiry.
        devicesRevoked: (deviceIds) => deviceIds.forEach(deviceRevoked),
        teamChanged: (userIds) => userIds.forEach((id) => userChanged(id, 'team-changed')),
        // C9: the IdP is the actor: no user, no device, its address.
        changed: (change, caller) => audit.record({ userId: null, deviceId: null, address: caller.address }, change),
      },
    });
    await registerScimRoutes(app, { service: scim, token: options.scimToken });
  }
  const trafficLimits = { ...defaultTrafficLimits, ...options.trafficLimits };
  const trafficProblem = checkTrafficLimits(trafficLimits);
  if (trafficProblem !== null) throw new Error(trafficProblem);
  const sync = await registerSyncRoute(app, {
    auth: verifier,
    store,
    deviceWrote: deviceWroteFrom(store),
    rooms,
    limits: { ...defaultSyncLimits, ...options.limits },
    traffic: createTrafficControl(trafficLimits, now, (event) => metrics.onLimit(event), cluster?.quotaOf(trafficLimits)),
    now,
    newId: randomUUID,
    onDocumentCreated: (row, by) => {
      void documentChanged(row);
      void audit.record(by, { action: 'document-created', documentId: row.id });
    },
    nameOf: async (userId) => (await store.getUser(userId))?.name ?? userId,
    updateBounds: { ...defaultUpdateBounds, ...options.updateBounds },
  });
  syncServer = sync;
  const served = await serveClient(app, options.staticDir === undefined ? resolve('dist') : options.staticDir);
  if (!served) app.setNotFoundHandler((_request, reply) => sendNotFound(reply));

  await app.listen({ port: options.port ?? 8080, host: options.host ?? '0.0.0.0' });
  // Deliveries left by an earlier run (or another process) are due at once.
  outbox.start();
  // E5: discarded concepts past their retention are deleted now and every hour after.
  const stopDraftHousekeeping = startDraftHousekeeping(
    { store, attachments: options.attachmentPurger ?? attachmentPurgerOf(store), audit, retentionMs: draftRetentionMs, now, onError },
    options.draftHousekeepingMs ?? 60 * 60 * 1000,
  );
  let marker = opened.marker;
  if (opened.dataDir !== null) marker = writeMarker(opened.dataDir, marker, 'running', new Date(now()));
  health.setPhase('ready');
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 8080);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      health.setPhase('stopping'); // G8: load balancers stop sending traffic from now on
      stopDraftHousekeeping();
      await app.close(); // preClose: commit pending updates, close sockets with 4503
      await rooms.close();
      await roomBus?.close(); // after the last commit was published
      await cluster?.close();
      await pdf.close();
      await outbox.close(); // between attempts; an unfinished one is looked up after restart (O2)
      await store.close();
      // G9: the WAL is checkpointed and gone now; a missing WAL at the next start is expected.
      if (opened.dataDir !== null) writeMarker(opened.dataDir, marker, 'stopped', new Date(now()));
    })();
    return closing;
  };
  return { url: `http://127.0.0.1:${port}`, port, store, rooms, sync, dms, outbox, audit, app, close };
}

/** F12: the attachment ids the document's committed Y.Doc lists; null when it cannot be read now. */
async function listedAttachmentIds(rooms: RoomManager, docId: string): Promise<string[] | null> {
  const content = await readCommittedContent(rooms, docId);
  if (content === null) return null;
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, content);
    return readAttachments(doc).map((a) => a.id);
  } finally {
    doc.destroy();
  }
}

/** K24: a draining device's earlier writes, from the update history; none known without one. */
function deviceWroteFrom(store: Store): (docId: string, deviceId: string) => Promise<boolean> {
  const history = store as Store & Partial<UpdateHistoryReader>;
  return async (docId, deviceId) => {
    if (typeof history.listUpdateHistory !== 'function') return false;
    // Updates are kept under the room's name.
    return (await history.listUpdateHistory(`doc:${docId}`)).some((row) => row.deviceId === deviceId);
  };
}

/** I9: the audit entries of a municipal sign-in event; none for what only the log needs. */
function oidcAuditEvents(event: OidcEvent): AuditEvent[] {
  switch (event.kind) {
    case 'sign-in':
      // A sign-in here always binds a new device, as a password sign-in does.
      return [
        { action: 'sign-in', details: { method: 'oidc' } },
        { action: 'device-registered', details: { method: 'oidc' } },
      ];
    case 'sign-in-failed':
      return [{ action: 'sign-in-failed', details: { method: 'oidc', reason: event.detail } }];
    case 'user-created':
      return [{ action: 'user-created', details: { source: 'oidc', detail: event.detail } }];
    case 'idp-refused':
    case 'idp-logout':
      return [{ action: 'device-revoked', details: { reason: event.kind, detail: event.detail } }];
    default:
      return [];
  }
}

/** The filesystem DMS's drop folder: DMS_DIR, else `<dataDir>/dms`; null keeps an in-memory DMS. */
function filesystemDmsDir(options: ServerOptions): string | null {
  return options.dmsDir ?? (options.dataDir === null ? null : join(options.dataDir, 'dms'));
}

function openDms(options: ServerOptions): DmsAdapter {
  const dir = filesystemDmsDir(options);
  if (dir === null) return createMemoryDms();
  mkdirSync(dir, { recursive: true });
  return createFilesystemDms({ dir, bronorganisatie: options.bronorganisatie, archiefvormer: options.municipality ?? DEFAULT_MUNICIPALITY });
}

async function openStore(options: ServerOptions): Promise<{ store: Store; marker: DataDirMarker | null; dataDir: string | null }> {
  // DB5: on PostgreSQL the data dir marker (G9) has nothing to guard: it is SQLite's.
  if (options.databaseUrl) {
    const store = await openPostgresStore(options.databaseUrl, { max: options.databasePoolMax ?? 10 });
    return { store, marker: null, dataDir: null };
  }
  if (options.dataDir === null) return { store: createMemoryStore(), marker: null, dataDir: null };
  mkdirSync(options.dataDir, { recursive: true });
  const checked = checkDataDir(options.dataDir);
  if (!checked.ok) throw new DataDirError(checked.reason, checked.message);
  const store = openSqliteStore(join(options.dataDir, 'keukentafel.sqlite'), {
    synchronous: options.sqliteSynchronous ?? 'FULL',
  });
  return { store, marker: checked.marker, dataDir: options.dataDir };
}

/** Serves the built app when there is one; false when there is none to serve. */
async function serveClient(app: FastifyInstance, dir: string | null): Promise<boolean> {
  if (dir === null || !existsSync(join(dir, 'index.html'))) return false;
  // The build writes .br/.gz beside each asset; send those to browsers that accept them.
  await app.register(fastifyStatic, { root: dir, wildcard: false, preCompressed: true });
  // Deep links (/document/…, /kantoor) are the app's routes: answer them with the shell.
  app.setNotFoundHandler((request, reply) => {
    // C1: /scim/ is an API too: without SCIM_TOKEN it must be a 404, not the app shell.
    if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/sync/') && !request.url.startsWith('/scim/')) {
      return reply.sendFile('index.html');
    }
    return sendNotFound(reply);
  });
  return true;
}

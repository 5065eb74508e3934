// Wires the server together: store, accounts, rooms, index mirror, templates, submissions, the
// outbox worker with its DMS adapter, HTTP and WebSocket routes. `startServer` is what `npm start`
// (server/main.ts) and every integration test call, so tests run exactly the server operators run.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { createAuthService } from './auth/auth-service';
import { seedDemoAccounts } from './auth/demo-seed';
import { registerAuthRoutes } from './http/auth-routes';
import { serializeRequest } from './http/log-redaction';
import { registerDocumentRoutes } from './http/document-routes';
import { registerLogoRoute } from './http/logo-route';
import { registerOutboxRoutes } from './http/outbox-routes';
import { registerTemplateRoutes } from './http/template-routes';
import { IndexService } from './index/index-service';
import { createFilesystemDms } from './dms/filesystem';
import { createMemoryDms } from './dms/memory';
import { createMetrics } from './metrics/metrics';
import { registerMetricsRoute } from './metrics/metrics-route';
import type { DmsAdapter } from './dms/types';
import { OutboxWorker, type OutboxTiming } from './outbox/outbox-worker';
import type { LetterLogo } from './pdf/logo';
import { inProcessRenderer, workerRenderer } from './pdf/pdf-renderer';
import { createMemoryStore } from './store/memory-store';
import { openSqliteStore } from './store/sqlite-store';
import type { Store } from './store/types';
import type { AccessVerifier } from './sync/auth-port';
import { defaultSyncLimits, type SyncLimits } from './sync/limits';
import { RoomManager } from './sync/room-manager';
import { registerSyncRoute, type SyncServer } from './sync/ws-route';
import { prepareSubmission } from './submit/prepare-submission';
import { loadTemplatesDir } from './templates/load-dir';
import { TemplateRegistry } from './templates/registry';
import { builtinTemplates } from '../shared/templates/builtin/index';

export const DEFAULT_MUNICIPALITY = 'Gemeente Voorbeeld';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** Folder for the SQLite file; null keeps everything in memory (tests). */
  dataDir: string | null;
  /** An already opened store (tests wrap one to observe or delay commits); wins over dataDir. */
  store?: Store;
  demoPassword?: string;
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Where the JSON log goes; stdout when absent (tests read what an operator would see). */
  logStream?: NodeJS.WritableStream;
  limits?: Partial<SyncLimits>;
  /** How long an unused room stays in memory. */
  idleMs?: number;
  accessTtlSeconds?: number;
  /** SQLite durability; FULL (default) syncs every commit to disk. */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
  /** Built client to serve; null serves none. Defaults to ./dist when it exists. */
  staticDir?: string | null;
  now?: () => number;
  /** Fastify `trustProxy`: the proxy's address(es); only then is X-Forwarded-For believed. */
  trustProxy?: string | false;
  /** A municipality's own templates, one JSON file each (TEMPLATES_DIR); invalid files are logged and skipped. */
  templatesDir?: string;
  /** Letterhead and mandate line of every letter (MUNICIPALITY_NAME). */
  municipality?: string;
  /** The letterhead's logo (MUNICIPALITY_LOGO, checked by loadLogo); none prints the name alone. */
  logo?: LetterLogo | null;
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
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  rooms: RoomManager;
  sync: SyncServer;
  dms: DmsAdapter;
  outbox: OutboxWorker;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const now = options.now ?? Date.now;
  const store = options.store ?? openStore(options);
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      serializers: { req: serializeRequest },
      ...(options.logStream === undefined ? {} : { stream: options.logStream }),
    },
    bodyLimit: 1024 * 1024,
    // After preClose has committed and said 4503, keep-alive connections that devices keep busy
    // (health checks, action replays) must not hold the shutdown open; actions are idempotent.
    forceCloseConnections: true,
    // Behind a reverse proxy set TRUST_PROXY to its address; X-Forwarded-For is otherwise forgeable.
    trustProxy: options.trustProxy ?? false,
  });
  const onError = (error: unknown, context: string): void => app.log.error({ err: error, context }, 'background task failed');

  await seedDemoAccounts({
    store,
    demoPassword: options.demoPassword,
    log: (message: string) => app.log.warn(message),
    newId: randomUUID,
  });
  const auth = createAuthService({ store, now, accessTtlSeconds: options.accessTtlSeconds });
  const verifier: AccessVerifier = {
    async verifyAccessToken(token) {
      const result = await auth.verifyAccessToken(token);
      if (!result.ok) return result;
      const { exp } = decodeJwt(token);
      return { ok: true, claims: { ...result.claims, expiresAt: (exp ?? 0) * 1000 } };
    },
  };

  const index = new IndexService({ store, now, onError });
  const rooms = new RoomManager({
    store,
    now,
    idleMs: options.idleMs,
    afterLoad: (room) => index.reconcile(room),
    afterCommit: (committed) => index.afterCommit(committed),
    afterUnload: (room) => {
      if (room.name.kind === 'doc') index.forget(room.name.docId);
    },
    onError,
  });
  index.attach(rooms);

  const templates = new TemplateRegistry(builtinTemplates);
  if (options.templatesDir !== undefined) {
    const loaded = loadTemplatesDir(options.templatesDir, templates);
    for (const refused of loaded.refused) app.log.warn({ file: refused.file }, refused.message);
    if (loaded.loaded.length > 0) app.log.info(`Sjablonen uit ${options.templatesDir}: ${loaded.loaded.join(', ')}`);
  }
  const dms = options.dms ?? openDms(options);
  let syncServer: SyncServer | null = null;
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
    documentChanged: (row) => index.documentChanged(row),
    approvalOf: async (docId, version) =>
      (await store.listReviews(docId)).find((r) => r.version === version && r.kind === 'approved') ?? null,
    onError,
    onDelivered: (latencyMs, adapterName) => metrics.onDelivered(latencyMs, adapterName),
    onFailed: (reason) => metrics.onFailed(reason),
  });

  app.get('/api/health', async (_request, reply) => {
    const ok = await store.ping().catch(() => false);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' });
  });
  // Sign-out revokes the device; its open sockets go too, not only at their token's expiry.
  const pdf = options.pdfRendering === 'in-process' ? inProcessRenderer() : workerRenderer({ ...options.pdfPool, onError: (error) => onError(error, 'pdf worker') });
  registerAuthRoutes(app, auth, { onDeviceRevoked: (deviceId) => syncServer?.closeDevice(deviceId) });
  registerTemplateRoutes(app, { auth, templates });
  registerDocumentRoutes(app, {
    auth,
    store,
    index,
    now,
    prepareSubmission: (input) =>
      prepareSubmission(
        {
          store,
          rooms,
          templates,
          municipality: options.municipality ?? DEFAULT_MUNICIPALITY,
          logo: options.logo ?? null,
          renderPdf: (pdfInput) => pdf.render(pdfInput),
        },
        input,
      ),
    deliveryQueued: () => outbox.kick(),
    nameOf: async (userId) => (await store.getUser(userId))?.name ?? userId,
  });
  registerOutboxRoutes(app, { auth, store });
  registerLogoRoute(app, options.logo ?? null);
  registerMetricsRoute(app, { metrics, token: options.metricsToken });
  const sync = await registerSyncRoute(app, {
    auth: verifier,
    store,
    rooms,
    limits: { ...defaultSyncLimits, ...options.limits },
    now,
    newId: randomUUID,
    onDocumentCreated: (row) => void index.documentChanged(row),
  });
  syncServer = sync;
  await serveClient(app, options.staticDir === undefined ? resolve('dist') : options.staticDir);

  await app.listen({ port: options.port ?? 8080, host: options.host ?? '0.0.0.0' });
  // Deliveries left by an earlier run (or another process) are due at once.
  outbox.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 8080);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await app.close(); // preClose: commit pending updates, close sockets with 4503
      await rooms.close();
      await pdf.close();
      await outbox.close(); // between attempts; an unfinished one is looked up after restart (O2)
      await store.close();
    })();
    return closing;
  };
  return { url: `http://127.0.0.1:${port}`, port, store, rooms, sync, dms, outbox, app, close };
}

function openDms(options: ServerOptions): DmsAdapter {
  const dir = options.dmsDir ?? (options.dataDir === null ? null : join(options.dataDir, 'dms'));
  if (dir === null) return createMemoryDms();
  mkdirSync(dir, { recursive: true });
  return createFilesystemDms({ dir, bronorganisatie: options.bronorganisatie });
}

function openStore(options: ServerOptions): Store {
  if (options.dataDir === null) return createMemoryStore();
  mkdirSync(options.dataDir, { recursive: true });
  return openSqliteStore(join(options.dataDir, 'keukentafel.sqlite'), {
    synchronous: options.sqliteSynchronous ?? 'FULL',
  });
}

async function serveClient(app: FastifyInstance, dir: string | null): Promise<void> {
  if (dir === null || !existsSync(join(dir, 'index.html'))) return;
  // The build writes .br/.gz beside each asset; send those to browsers that accept them.
  await app.register(fastifyStatic, { root: dir, wildcard: false, preCompressed: true });
  // Deep links (/document/…, /kantoor) are the app's routes: answer them with the shell.
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/sync/')) {
      return reply.sendFile('index.html');
    }
    return reply.code(404).send({ error: 'not-found' });
  });
}

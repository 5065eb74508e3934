// The `/sync/<room>` endpoint. The upgrade is always accepted and refusals are close codes
// (a refused upgrade reaches a browser as 1006 and y-websocket would retry for ever), also for
// room names the router could not route (L3). Messages
// that arrive while the token is checked and the room is loaded are queued, then replayed.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { CloseCode, CloseReason, CREATE_INTENT_PARAM, CREATE_INTENT_VALUE } from '../../shared/protocol/messages';
import { LimitReason } from '../../shared/protocol/limit-reasons';
import { parseRoom, roomName } from '../../shared/protocol/rooms';
import { startHeartbeat } from '../limits/heartbeat';
import type { TrafficControl } from '../limits/traffic-control';
import type { AccessVerifier } from './auth-port';
import { authorizeRoom, type DeviceWrote } from './access';
import { SyncConnection } from './connection';
import type { SyncLimits } from './limits';
import type { RoomManager } from './room-manager';
import type { UpdateBounds } from './update-guard';
import type { DocumentRow, DocumentStore } from '../store/types';

export interface SyncRouteDeps {
  auth: AccessVerifier;
  store: DocumentStore;
  /** K24: whether a device sent updates to a document before (a draining device's own work). */
  deviceWrote?: DeviceWrote;
  rooms: RoomManager;
  limits: SyncLimits;
  /** Back-pressure, rates, quotas and ping/pong (L5–L9). */
  traffic: TrafficControl;
  now: () => number;
  newId: () => string;
  /** A first connection created the document's row; `by` is who, on which device, from where (U5). */
  onDocumentCreated: (row: DocumentRow, by: { userId: string; deviceId: string; address: string }) => void;
  /** The display name of a signed-in user, stamped on their awareness (L4). */
  nameOf: (userId: string) => Promise<string>;
  /** Bounds every client update is checked against before it touches a room (L1). */
  updateBounds: UpdateBounds;
}

/** Subprotocol a browser may offer beside `bearer.<token>` to carry the token in the header. */
export const SYNC_SUBPROTOCOL = 'keukentafel';
const BEARER_PREFIX = 'bearer.';
const CLOSE_HANDSHAKE_MS = 2_000;
/** L10: what a socket closed for hostile input (4400, 4413) costs its token, in connection attempts. */
const HOSTILE_CLOSE_ATTEMPTS = 10;

export interface SyncServer {
  /** Commits what is pending, then closes every socket with 4503. */
  shutdown(): Promise<void>;
  readonly openSockets: number;
  /** Closes every socket of a device whose sign-in was revoked (4401 device-revoked). */
  closeDevice(deviceId: string): void;
  /**
   * C6: closes every socket of a user with 4401 and `reason` (the client refreshes and
   * reconnects), so room access is decided again, e.g. after the user moved to another team.
   */
  closeUser(userId: string, reason: string): void;
  /** E4: closes every socket of a document's room with 4403 `document-discarded` (it was discarded). */
  closeDocument(docId: string): void;
  /** The limits and how often each acted (L5–L9). */
  readonly traffic: TrafficControl;
  /** The client address of an open connection (its UpdateOrigin's connId), for the audit trail (U5). */
  addressOf(connId: string): string | null;
}

export async function registerSyncRoute(app: FastifyInstance, deps: SyncRouteDeps): Promise<SyncServer> {
  const sockets = new Set<WebSocket>();
  /** Accepted sockets by the device that opened them, for revocation. */
  const byDevice = new Map<WebSocket, string>();
  /** Accepted sockets by the user they speak for, for a change of team (C6). */
  const byUser = new Map<WebSocket, string>();
  /** Accepted sockets of document rooms by document id, for a discard (E4). */
  const byDocument = new Map<WebSocket, string>();
  const upgraded = new Set<Duplex>();
  /** Open connections' client addresses by connId (U5: a signature's entry names where it came from). */
  const addresses = new Map<string, string>();
  let shuttingDown = false;
  const heartbeat = startHeartbeat(deps.traffic.limits, () => deps.traffic.count('ping-timeout'));
  /** Upgrades over their token's attempt budget (L10): held, then closed with 4429 at once. */
  const overBudget = new WeakSet<IncomingMessage>();

  await app.register(websocket, {
    options: {
      maxPayload: deps.limits.maxMessageBytes,
      handleProtocols: (protocols: Set<string>) =>
        protocols.has(SYNC_SUBPROTOCOL) ? SYNC_SUBPROTOCOL : (protocols.values().next().value ?? false),
    },
    // The socket is already closing with our code when ws reports a protocol error.
    errorHandler: () => undefined,
    preClose: async () => {
      await shutdown();
    },
  });

  // Every upgrade passes this gate before the router and the WebSocket handshake see it. L10: an
  // upgrade over its token's attempt budget is held for SYNC_REFUSAL_DELAY_MS before it goes on
  // (to be closed with 4429): a client that opens and drops sockets in a loop gets one handshake
  // per delay, whether or not it waits for our close.
  const downstream = app.server.listeners('upgrade') as ((request: IncomingMessage, raw: Duplex, head: Buffer) => void)[];
  app.server.removeAllListeners('upgrade');
  app.server.on('upgrade', (request: IncomingMessage, raw: Duplex, head: Buffer) => {
    upgraded.add(raw);
    raw.once('close', () => upgraded.delete(raw));
    const forward = (): void => {
      if (raw.destroyed) return;
      takeRoomFromUrl(request);
      for (const listener of downstream) listener.call(app.server, request, raw, head);
    };
    const token = isSyncPath(request.url) ? tokenOf(request) : null;
    if (token === null || deps.traffic.attempts.take(token)) return forward();
    deps.traffic.count(LimitReason.connectTooFast);
    overBudget.add(request);
    const delay = shuttingDown ? 0 : deps.traffic.limits.refusalDelayMs;
    if (delay === 0) return forward();
    // Node takes its own error listener off a socket before 'upgrade'; one that resets while held must not crash us.
    raw.on('error', () => raw.destroy());
    const timer = setTimeout(forward, delay);
    timer.unref();
    raw.once('close', () => clearTimeout(timer));
  });

  async function shutdown(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    heartbeat.stop();
    await deps.rooms.flush();
    for (const socket of sockets) socket.close(CloseCode.shuttingDown, CloseReason.shuttingDown);
    // A device that does not answer the close handshake must not hold the shutdown open.
    const deadline = Date.now() + CLOSE_HANDSHAKE_MS;
    while (upgraded.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const socket of sockets) socket.terminate();
    // Including connections still inside their upgrade, which no WebSocket object owns yet.
    for (const raw of upgraded) raw.destroy();
  }

  app.get<{ Params: { room: string } }>('/sync/:room', { websocket: true }, (socket, request) => {
    if (shuttingDown) {
      socket.close(CloseCode.shuttingDown, CloseReason.shuttingDown);
      return;
    }
    sockets.add(socket);
    heartbeat.watch(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      byDevice.delete(socket);
      byUser.delete(socket);
      byDocument.delete(socket);
    });
    mapOversizeClose(socket, (code) => {
      // L10: input the server refused as hostile costs the token more attempts than a reconnect.
      if (code !== CloseCode.malformed && code !== CloseCode.tooLarge) return;
      const token = tokenOf(request.raw);
      if (token !== null) deps.traffic.attempts.penalize(token, HOSTILE_CLOSE_ATTEMPTS);
    });
    void accept(socket, request).catch((error: unknown) => {
      request.log.error({ err: error }, 'sync connection failed');
      socket.close(1011, 'internal-error');
    });
  });

  async function accept(socket: WebSocket, request: FastifyRequest<{ Params: { room: string } }>): Promise<void> {
    const queue: Uint8Array[] = [];
    let connection: SyncConnection | null = null;
    let gone = false;
    let refused = false;
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (refused) return; // held until its close (L10): nothing it sends is looked at
      const bytes = toBytes(data);
      if (!isBinary || bytes === null) {
        (connection ?? socket).close(CloseCode.malformed, CloseReason.malformed);
        return;
      }
      if (connection !== null) connection.receive(bytes);
      else if (queue.length < deps.limits.maxQueuedMessages) queue.push(bytes);
      else socket.close(CloseCode.tooManyMessages, CloseReason.tooMany);
    });
    socket.on('close', () => {
      gone = true;
      connection?.detach();
    });

    /**
     * A refusal at admission (L7, L8, L10) is held for SYNC_REFUSAL_DELAY_MS before the 4429:
     * a client that reconnects as soon as it is closed then costs one upgrade per delay, not one
     * per round trip. Honest clients back off after a 4429 anyway.
     */
    const refuse = (reason: string): void => {
      refused = true;
      const close = (): void => {
        if (!gone) socket.close(CloseCode.tooManyMessages, reason);
      };
      if (deps.traffic.limits.refusalDelayMs === 0 || shuttingDown) return close();
      const timer = setTimeout(close, deps.traffic.limits.refusalDelayMs);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };

    // L10: charged at the upgrade, to the token as presented, before any work is spent on verifying it.
    if (overBudget.has(request.raw)) return socket.close(CloseCode.tooManyMessages, LimitReason.connectTooFast);
    const token = tokenOf(request.raw);
    if (token === null) return socket.close(CloseCode.unauthorized, CloseReason.tokenMissing);
    const verified = await deps.auth.verifyAccessToken(token);
    if (!verified.ok) return socket.close(CloseCode.unauthorized, verified.reason);
    const { claims } = verified;
    byDevice.set(socket, claims.deviceId);
    byUser.set(socket, claims.userId);

    const room = parseRoom(decodeRoomParam(roomFromUrl.get(request.raw) ?? request.params.room));
    if (room === null) return socket.close(CloseCode.malformed, CloseReason.unknownRoom);
    // OP22: the socket's lines say who, on which device, in which room (ids only).
    const socketLog = request.log.child({ userId: claims.userId, deviceId: claims.deviceId, room: roomName(room), ...(room.kind === 'doc' ? { docId: room.docId } : {}) });
    socketLog.info('sync socket opened');
    socket.once('close', (code: number, reason: Buffer) => socketLog.info({ code, reason: reason.toString() }, 'sync socket closed'));
    // Quotas (L7) are taken before the room is looked at and given back when the socket closes.
    const admitted = await deps.traffic.quota.admit(claims, roomName(room));
    if (!admitted.ok) {
      deps.traffic.count(admitted.reason);
      return refuse(admitted.reason);
    }
    if (gone) return admitted.admission.release();
    socket.on('close', () => admitted.admission.release());
    const access = await authorizeRoom(
      deps.store,
      claims,
      room,
      deps.now,
      () => takeNewDocument(deps.traffic, claims),
      deps.deviceWrote,
      createIntentOf(request.raw),
    );
    if (!access.ok) return access.code === CloseCode.tooManyMessages ? refuse(access.reason) : socket.close(access.code, access.reason);
    if (room.kind === 'doc') byDocument.set(socket, room.docId);
    if (access.created !== null) deps.onDocumentCreated(access.created, { userId: claims.userId, deviceId: claims.deviceId, address: request.ip });
    const name = await deps.nameOf(claims.userId);
    if (gone || shuttingDown) return;

    const loaded = await deps.rooms.acquire(room);
    if (gone || shuttingDown) {
      deps.rooms.release(loaded);
      return;
    }
    const connId = deps.newId();
    addresses.set(connId, request.ip);
    socket.on('close', () => addresses.delete(connId));
    connection = new SyncConnection(
      socket,
      loaded,
      deps.rooms,
      { userId: claims.userId, deviceId: claims.deviceId, connId },
      { id: claims.userId, name },
      deps.limits,
      deps.updateBounds,
      deps.now,
      () => deps.rooms.release(loaded),
      deps.traffic.guardFor(claims.userId),
    );
    // A live socket must not outlive its token: at expiry the client refreshes (S5), and a
    // revoked device cannot refresh, so revocation reaches open sockets within one lifetime.
    const expiresIn = claims.expiresAt - deps.now();
    const expiry = setTimeout(() => connection?.close(CloseCode.unauthorized, 'token-expired'), Math.max(0, expiresIn));
    expiry.unref();
    socket.on('close', () => clearTimeout(expiry));
    for (const message of queue.splice(0)) connection.receive(message);
  }

  return {
    shutdown,
    traffic: deps.traffic,
    addressOf: (connId) => addresses.get(connId) ?? null,
    get openSockets() {
      return sockets.size;
    },
    closeDevice(deviceId) {
      for (const [socket, device] of byDevice) {
        if (device === deviceId) socket.close(CloseCode.unauthorized, 'device-revoked');
      }
    },
    closeDocument(docId) {
      for (const [socket, id] of byDocument) {
        if (id === docId) socket.close(CloseCode.forbidden, CloseReason.documentDiscarded);
      }
    },
    closeUser(userId, reason) {
      for (const [socket, user] of byUser) {
        if (user === userId) socket.close(CloseCode.unauthorized, reason);
      }
    },
  };
}

/** The new-document quota (L8), counted when it refuses. */
async function takeNewDocument(traffic: TrafficControl, holder: { userId: string; deviceId: string }): Promise<string | null> {
  const refused = await traffic.quota.takeNewDocument(holder);
  if (refused !== null) traffic.count(refused);
  return refused;
}

/** E9: whether the upgrade says the device created this document itself (`?intent=create`). */
function createIntentOf(request: IncomingMessage): boolean {
  const url = request.url ?? '';
  const q = url.indexOf('?');
  return q !== -1 && new URLSearchParams(url.slice(q + 1)).get(CREATE_INTENT_PARAM) === CREATE_INTENT_VALUE;
}

/** The access token of an upgrade: the `token` query parameter, or `bearer.<token>` as a subprotocol. */
function tokenOf(request: IncomingMessage): string | null {
  const url = request.url ?? '';
  const q = url.indexOf('?');
  const fromQuery = q === -1 ? null : new URLSearchParams(url.slice(q + 1)).get('token');
  if (fromQuery !== null && fromQuery.length > 0) return fromQuery;
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return null;
  for (const part of header.split(',')) {
    const p = part.trim();
    if (p.startsWith(BEARER_PREFIX) && p.length > BEARER_PREFIX.length) return p.slice(BEARER_PREFIX.length);
  }
  return null;
}

/** Raw room names of upgrades on `/sync`, taken out of the URL before the router sees it. */
const roomFromUrl = new WeakMap<IncomingMessage, string>();
const SYNC_PATH = '/sync';
/** Longest raw room name looked at; real ones are at most 75 characters. */
const MAX_ROOM_NAME = 256;

/**
 * The router answers malformed percent-encoding (400), long segments (414) and extra slashes
 * (404) with an HTTP error, which a browser sees as 1006 and retries for ever (L3). So the room
 * name is taken out of the URL of every upgrade on `/sync` and the request is routed to
 * `/sync/-`; the handler parses the real name and refuses a bad one with 4400 `unknown-room`.
 */
function isSyncPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  return path === SYNC_PATH || path.startsWith(`${SYNC_PATH}/`);
}

function takeRoomFromUrl(request: IncomingMessage): void {
  const url = request.url ?? '';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path !== SYNC_PATH && !path.startsWith(`${SYNC_PATH}/`)) return;
  roomFromUrl.set(request, path.slice(SYNC_PATH.length + 1));
  request.url = `${SYNC_PATH}/-${q === -1 ? '' : url.slice(q)}`;
}

function decodeRoomParam(raw: string): string {
  if (raw.length > MAX_ROOM_NAME) return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return '';
  }
}

function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array | null {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * `ws` closes an over-long message with 1009 before we see it. The protocol promises 4413, so
 * that one close call is translated; the frame header is rejected before the payload is read.
 * `onClose` hears the first close code the server gives the socket (after that translation).
 */
function mapOversizeClose(socket: WebSocket, onClose: (code: number | undefined) => void): void {
  const close = socket.close.bind(socket);
  let told = false;
  socket.close = (code?: number, reason?: string | Buffer) => {
    const mapped = code === 1009 ? CloseCode.tooLarge : code;
    if (!told) {
      told = true;
      onClose(mapped);
    }
    return code === 1009 ? close(CloseCode.tooLarge, CloseReason.tooLarge) : close(code, reason);
  };
}

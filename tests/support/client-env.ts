// What client tests need to run the browser sync core in Node: a fresh fake IndexedDB per test,
// `ws` as WebSocket, a byte-scrambling codec, and a small y-websocket-compatible fake server whose
// acks a unit test can hold back (S2) and whose close codes it can choose (S5). Integration tests
// use the real server (server/app) instead.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Codec } from '../../client/store/local-store';
import { encodePersistedMessage } from '../../shared/protocol/persisted';

export const NodeWebSocket = WebSocket as unknown as typeof globalThis.WebSocket;

/** A separate IndexedDB "browser profile": tests never see each other's databases. */
export function freshIndexedDB(): { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange } {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

/** Not encryption: enough to prove that no plaintext byte reaches IndexedDB unencoded. */
export function xorCodec(key = 0x5a): Codec & { calls: { encode: number; decode: number } } {
  const calls = { encode: 0, decode: 0 };
  const xor = (bytes: Uint8Array): Uint8Array => bytes.map((b) => b ^ key);
  return {
    calls,
    encode: (bytes) => {
      calls.encode++;
      return Promise.resolve(xor(bytes));
    },
    decode: (bytes) => {
      calls.decode++;
      return Promise.resolve(xor(bytes));
    },
  };
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const newDocId = (): string => crypto.randomUUID();

export const DEMO_PASSWORD = 'test-pass';

// ---------------------------------------------------------------------------------------------
// Fake sync server for unit tests of the client state machine. It speaks the same wire protocol
// as the real one (y-protocols sync, type 100 after each "commit", close codes after upgrade).

interface FakeRoom {
  doc: Y.Doc;
  conns: Set<WebSocket>;
  durable: Y.Snapshot;
  commitQueued: boolean;
}

export interface FakeSyncServer {
  url: string;
  rooms: Map<string, FakeRoom>;
  /** Access tokens the server accepts on `/sync`. */
  validTokens: Set<string>;
  /** Rooms answered with 4403. */
  forbiddenRooms: Set<string>;
  /** While true, updates are applied and broadcast but not "committed": no type 100. */
  holdAcks: boolean;
  releaseAcks(): void;
  /** Connections currently open, and the most ever open at once. */
  openConnections(): number;
  maxConcurrent: number;
  /** Upgrade attempts per room, refused ones included. */
  attemptsByRoom: Map<string, number>;
  /** E9: the `intent` query parameter of each upgrade per room, in order ('' when absent). */
  intentsByRoom: Map<string, string[]>;
  /** Rooms answered with 4403 `document-discarded` (E4). */
  discardedRooms: Set<string>;
  /** Access and refresh tokens stop working, as after a revocation. */
  revokeAll(): void;
  /** Closes every socket with `code` (e.g. 4503, or 4401 to simulate expiry). */
  closeAll(code: number, reason?: string): void;
  text(room: string, name?: string): string;
  refreshCalls: number;
  actionCalls: Array<{ docId: string; body: unknown; authorization: string | undefined }>;
  close(): Promise<void>;
}

export async function startFakeSyncServer(): Promise<FakeSyncServer> {
  const rooms = new Map<string, FakeRoom>();
  const sockets = new Set<WebSocket>();
  const refreshTokens = new Map<string, string>();
  const actionResults = new Map<string, { status: number; body: unknown }>();
  let tokenCounter = 0;

  const issueTokens = (): { accessToken: string; refreshToken: string } => {
    tokenCounter++;
    const accessToken = `access-${tokenCounter}`;
    const refreshToken = `refresh-${tokenCounter}`;
    fake.validTokens.add(accessToken);
    refreshTokens.set(refreshToken, accessToken);
    return { accessToken, refreshToken };
  };
  const user = { id: 'u-veldwerker', name: 'Veldwerker', roles: ['field'], teamId: 'centrum' };

  const commit = (room: FakeRoom): void => {
    room.durable = Y.snapshot(room.doc);
    const message = encodePersistedMessage(room.durable);
    for (const ws of room.conns) ws.send(message);
  };

  const getRoom = (name: string): FakeRoom => {
    let room = rooms.get(name);
    if (room === undefined) {
      const doc = new Y.Doc();
      const created: FakeRoom = { doc, conns: new Set(), durable: Y.snapshot(doc), commitQueued: false };
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        syncProtocol.writeUpdate(encoder, update);
        const message = encoding.toUint8Array(encoder);
        for (const ws of created.conns) if (ws !== origin) ws.send(message);
        if (fake.holdAcks || created.commitQueued) return;
        created.commitQueued = true;
        setImmediate(() => {
          created.commitQueued = false;
          if (!fake.holdAcks) commit(created);
        });
      });
      room = created;
      rooms.set(name, room);
    }
    return room;
  };

  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch {
      return null;
    }
  };
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const http = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/api/health') return send(res, 200, { status: 'ok' });
      const body = (await readBody(req)) as Record<string, unknown> | null;
      if (req.method === 'POST' && url.pathname === '/api/auth/login') {
        if (body?.username === 'veldwerker' && body.password === DEMO_PASSWORD) {
          return send(res, 200, { ...issueTokens(), user });
        }
        return send(res, 401, { error: 'invalid-credentials' });
      }
      if (req.method === 'POST' && url.pathname === '/api/auth/refresh') {
        fake.refreshCalls++;
        const old = typeof body?.refreshToken === 'string' ? body.refreshToken : '';
        if (!refreshTokens.has(old)) return send(res, 401, { error: 'revoked' });
        refreshTokens.delete(old);
        return send(res, 200, { ...issueTokens(), user });
      }
      const action = /^\/api\/documents\/([^/]+)\/actions$/.exec(url.pathname);
      if (req.method === 'POST' && action !== null) {
        const docId = action[1] ?? '';
        fake.actionCalls.push({ docId, body, authorization: req.headers.authorization });
        const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        if (!fake.validTokens.has(token)) return send(res, 401, { error: 'token-invalid' });
        const key = typeof body?.idempotencyKey === 'string' ? body.idempotencyKey : '';
        const previous = actionResults.get(key);
        if (previous !== undefined) return send(res, previous.status, previous.body);
        const result =
          body?.type === 'submit' && body.reject === true
            ? { status: 422, body: { problems: [{ section: 'motivering', rule: 'required', message: 'Motivering ontbreekt' }] } }
            : { status: 202, body: { docId, status: 'ingediend' } };
        actionResults.set(key, result);
        return send(res, result.status, result.body);
      }
      send(res, 404, { error: 'not-found' });
    })();
  });

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/sync/')) {
      socket.destroy();
      return;
    }
    const roomName = decodeURIComponent(url.pathname.slice('/sync/'.length));
    const token = url.searchParams.get('token') ?? '';
    fake.attemptsByRoom.set(roomName, (fake.attemptsByRoom.get(roomName) ?? 0) + 1);
    fake.intentsByRoom.set(roomName, [...(fake.intentsByRoom.get(roomName) ?? []), url.searchParams.get('intent') ?? '']);
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Like the real server: accept, then close with a code the browser can see.
      if (!fake.validTokens.has(token)) return ws.close(4401, 'token-invalid');
      if (fake.forbiddenRooms.has(roomName)) return ws.close(4403, 'no-access');
      if (fake.discardedRooms.has(roomName)) return ws.close(4403, 'document-discarded');
      const room = getRoom(roomName);
      sockets.add(ws);
      room.conns.add(ws);
      fake.maxConcurrent = Math.max(fake.maxConcurrent, sockets.size);
      ws.on('close', () => {
        sockets.delete(ws);
        room.conns.delete(ws);
      });
      ws.on('message', (data: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        if (decoding.readVarUint(decoder) !== 0) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, 0);
        const type = syncProtocol.readSyncMessage(decoder, encoder, room.doc, ws);
        if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
        // After answering step 1, tell the client what is durable (a client with nothing to send
        // learns it is saved without waiting for somebody else's commit).
        if (type === syncProtocol.messageYjsSyncStep1) ws.send(encodePersistedMessage(room.durable));
      });
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, 0);
      syncProtocol.writeSyncStep1(step1, room.doc);
      ws.send(encoding.toUint8Array(step1));
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  const fake: FakeSyncServer = {
    url: `http://127.0.0.1:${port}`,
    rooms,
    validTokens: new Set(),
    forbiddenRooms: new Set(),
    holdAcks: false,
    releaseAcks() {
      fake.holdAcks = false;
      for (const room of rooms.values()) commit(room);
    },
    openConnections: () => sockets.size,
    maxConcurrent: 0,
    attemptsByRoom: new Map(),
    intentsByRoom: new Map(),
    discardedRooms: new Set(),
    revokeAll() {
      fake.validTokens.clear();
      refreshTokens.clear();
    },
    closeAll(code, reason = '') {
      for (const ws of [...sockets]) ws.close(code, reason);
    },
    text(room, name = 'text') {
      return rooms.get(room)?.doc.getText(name).toString() ?? '';
    },
    refreshCalls: 0,
    actionCalls: [],
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return fake;
}

// Test helpers around the real server: start it in-process on a free port (in memory or on a
// temp SQLite file), sign in the demo users, and open real y-websocket or raw `ws` sockets.
import { afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CREATE_INTENT_PARAM, CREATE_INTENT_VALUE, MessageType } from '../../shared/protocol/messages';
import { readPersistedBody, snapshotCovers } from '../../shared/protocol/persisted';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app';

export const DEMO_PASSWORD = 'test-wachtwoord-123';

export interface TestServer extends RunningServer {
  dataDir: string | null;
  /** Removes the temp folder after closing. */
  dispose(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> & { persistent?: boolean } = {}): Promise<TestServer> {
  const dataDir =
    options.dataDir !== undefined ? options.dataDir : options.persistent ? mkdtempSync(join(tmpdir(), 'kt-')) : null;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    demoPassword: DEMO_PASSWORD,
    logLevel: 'silent',
    staticDir: null,
    ...options,
    dataDir,
  });
  return {
    ...server,
    dataDir,
    async dispose() {
      await server.close();
      if (dataDir !== null && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; name: string; roles: string[]; teamId: string };
}

export async function login(url: string, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, deviceName: 'test' }),
  });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status}`);
  return (await response.json()) as Session;
}

export const wsUrl = (url: string): string => `${url.replace(/^http/, 'ws')}/sync`;

/** A stock y-websocket client that also records the persisted-acks it receives. */
export class AckingClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  durable: Y.Snapshot | null = null;
  closes: { code: number; reason: string }[] = [];
  private waiters: (() => void)[] = [];
  private step2Waiters: (() => void)[] = [];

  /**
   * `createIntent` (E9): the client says it created the document (`?intent=create`), as the app
   * does for documents made on the device; false connects like a link to an unknown id.
   */
  constructor(url: string, room: string, token: string, doc = new Y.Doc(), createIntent = true) {
    this.doc = doc;
    this.provider = new WebsocketProvider(wsUrl(url), room, doc, {
      params: createIntent ? { token, [CREATE_INTENT_PARAM]: CREATE_INTENT_VALUE } : { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    this.provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
      this.durable = readPersistedBody(decoder);
      for (const w of this.waiters.splice(0)) w();
    };
    const onSync = this.provider.messageHandlers[MessageType.sync];
    this.provider.messageHandlers[MessageType.sync] = (encoder, decoder, ...rest) => {
      // The server sends sync step 2 only as the answer to a step 1 (y-protocols), so after the
      // first exchange a step 2 answers roundTrip's step 1.
      const isStep2 = decoder.arr[decoder.pos] === syncProtocol.messageYjsSyncStep2;
      onSync?.(encoder, decoder, ...rest);
      if (isStep2) for (const w of this.step2Waiters.splice(0)) w();
    };
    this.provider.on('connection-close', (event) => {
      if (event !== null) this.closes.push({ code: event.code, reason: event.reason });
    });
  }

  /** True when the server's last ack covers this client's whole state (S2's criterion). */
  get saved(): boolean {
    return this.durable !== null && snapshotCovers(this.durable, Y.snapshot(this.doc));
  }

  async waitSaved(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.saved) {
      if (Date.now() > deadline) throw new Error('not saved in time');
      await new Promise<void>((resolveWait) => {
        this.waiters.push(resolveWait);
        setTimeout(resolveWait, 50);
      });
    }
  }

  /**
   * One round trip on this client's socket: sends sync step 1 and waits for the server's step 2.
   * The server handles a socket's messages in order and sends on one socket, so anything it sent
   * before answering (an ack, say) has arrived by then. Tests use it to prove that something did
   * NOT happen without waiting out a fixed time. Call it after the first sync (`durable` set).
   */
  async roundTrip(timeoutMs = 10_000): Promise<void> {
    const ws = this.provider.ws;
    if (ws === null || ws.readyState !== ws.OPEN) throw new Error('roundTrip needs an open socket');
    const answered = new Promise<void>((resolveAnswer, reject) => {
      const timer = setTimeout(() => reject(new Error('no sync step 2 in time')), timeoutMs);
      this.step2Waiters.push(() => {
        clearTimeout(timer);
        resolveAnswer();
      });
    });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    syncProtocol.writeSyncStep1(e, this.doc);
    ws.send(encoding.toUint8Array(e));
    await answered;
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/**
 * A raw socket for hostile input. `closed` resolves with the close code and reason. `opened` is the upgrade only; `accepted` is the server's first message, sent once it
 * has verified the token, authorised the room and loaded it: wait on that before acting on a socket
 * "in the room" (a revocation racing the verification closes with another reason).
 */
export function openRaw(
  url: string,
  room: string,
  token: string | null,
  createIntent = true,
): { socket: WebSocket; closed: Promise<{ code: number; reason: string }>; opened: Promise<void>; accepted: Promise<void> } {
  const params = new URLSearchParams();
  if (token !== null) params.set('token', token);
  if (createIntent) params.set(CREATE_INTENT_PARAM, CREATE_INTENT_VALUE);
  const query = params.size === 0 ? '' : `?${params.toString()}`;
  const socket = new WebSocket(`${wsUrl(url)}/${room}${query}`);
  const closed = new Promise<{ code: number; reason: string }>((resolveClose) => {
    socket.on('close', (code, reason) => resolveClose({ code, reason: reason.toString() }));
  });
  socket.on('error', () => undefined);
  const opened = new Promise<void>((resolveOpen) => socket.on('open', () => resolveOpen()));
  const accepted = new Promise<void>((resolveAccepted) => socket.once('message', () => resolveAccepted()));
  return { socket, closed, opened, accepted };
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function isPersistedMessage(data: Uint8Array): boolean {
  return data.length > 0 && decoding.readVarUint(decoding.createDecoder(data)) === MessageType.persisted;
}

/** Opens `doc:<id>` with a stock client and waits until the server has loaded it (first ack). */
export async function openDocument(url: string, token: string, id: string = crypto.randomUUID()): Promise<{ id: string; client: AckingClient }> {
  const client = new AckingClient(url, `doc:${id}`, token);
  await waitFor(() => client.durable !== null, 10_000, 'document loaded');
  return { id, client };
}

/**
 * Servers and stock clients a test file starts, disposed after each test: `server(options)` starts
 * one, `clients.push(c)` hands a client over. Call once at the top of a test file.
 */
export function trackTestServers(): {
  server: (options?: Parameters<typeof startTestServer>[0]) => Promise<TestServer>;
  clients: AckingClient[];
  /** Disposes a server started another way (or one closed and reopened) after the test too. */
  adopt: (server: TestServer) => void;
} {
  const servers: TestServer[] = [];
  const clients: AckingClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const s of servers.splice(0)) await s.dispose();
  });
  return {
    server: async (options = {}) => {
      const s = await startTestServer(options);
      servers.push(s);
      return s;
    },
    clients,
    adopt: (s) => {
      servers.push(s);
    },
  };
}

// The soak's clients, shared by the benchmark (tests/bench/soak.ts) and its short integration
// test: honest editors (stock y-websocket clients that append numbered tokens to their own text
// and time each edit to its persisted-ack) and hostile ones (sockets that never read, awareness
// flooders, oversized and deeply nested updates, reconnect storms) that keep coming back.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType } from '../../shared/protocol/messages';
import { AckingClient, wsUrl } from '../support/server';
import { bodyOf, bodyText } from '../support/body-text';

export const HOSTILE_KINDS = ['non-reader', 'awareness-flood', 'oversized-or-nested', 'reconnect-storm'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

export interface HonestEditor {
  readonly client: AckingClient;
  readonly room: string;
  /** Name of the Y.Text this editor alone appends to. */
  readonly textName: string;
  /** Tokens written so far (token n is `${textName}:${n};`). */
  written: number;
  /** Highest token number covered by a persisted-ack, -1 for none. */
  acked: number;
  /** Edit → covering ack, ms. */
  readonly ackMs: number[];
  readonly pending: { t0: number; clock: number; n: number }[];
}

const token = (textName: string, n: number): string => `${textName}:${n};`;

export function connectEditor(url: string, room: string, accessToken: string, textName: string): HonestEditor {
  const client = new AckingClient(url, room, accessToken);
  const editor: HonestEditor = { client, room, textName, written: 0, acked: -1, ackMs: [], pending: [] };
  const recordAck = client.provider.messageHandlers[MessageType.persisted];
  client.provider.messageHandlers[MessageType.persisted] = (encoder, decoder, provider, emitSynced, type) => {
    recordAck?.(encoder, decoder, provider, emitSynced, type);
    const held = client.durable?.sv.get(client.doc.clientID) ?? 0;
    const now = performance.now();
    while (editor.pending[0] !== undefined && editor.pending[0].clock <= held) {
      const done = editor.pending.shift();
      if (done === undefined) break;
      editor.ackMs.push(now - done.t0);
      editor.acked = Math.max(editor.acked, done.n);
    }
  };
  return editor;
}

/** One keystroke-sized append; its ack is timed from now. */
export function editOnce(editor: HonestEditor): void {
  const text = bodyText(editor.client.doc, editor.textName);
  const t0 = performance.now();
  const n = editor.written;
  text.insert(text.length, token(editor.textName, n));
  editor.written += 1;
  editor.pending.push({ t0, clock: Y.getState(editor.client.doc.store, editor.client.doc.clientID), n });
}

/** Acknowledged tokens missing from `doc` (the server's copy after a restart): must be 0. */
export function lostAckedEdits(editors: readonly HonestEditor[], docs: ReadonlyMap<string, Y.Doc>): number {
  let lost = 0;
  for (const editor of editors) {
    const text = bodyOf(docs.get(editor.room), editor.textName);
    for (let n = 0; n <= editor.acked; n += 1) if (!text.includes(token(editor.textName, n))) lost += 1;
  }
  return lost;
}

// ---------------------------------------------------------------------------------------------
// Hostile clients

export interface Hostile {
  readonly kind: HostileKind;
  /** Close reasons the server gave this client's sockets, e.g. "4429 send-queue-full". */
  readonly closes: Map<string, number>;
  stop(): void;
}

function openSocket(url: string, room: string, accessToken: string): WebSocket {
  const socket = new WebSocket(`${wsUrl(url)}/${room}?token=${encodeURIComponent(accessToken)}&intent=create`);
  socket.on('error', () => undefined);
  return socket;
}

function syncUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/**
 * Y.Maps nested `depth` deep, then a deletion of the whole chain: the pair that once overflowed
 * the server's stack. The deletion is written by hand (delete set only): deleting it here would
 * overflow this process's stack first.
 */
export function nestedUpdates(depth: number): Uint8Array[] {
  const doc = new Y.Doc({ gc: false });
  const root = doc.getMap('m');
  let map = new Y.Map<unknown>();
  root.set('deep', map); // the first item: clock 0 of this client
  for (let i = 0; i < depth; i += 1) {
    const inner = new Y.Map<unknown>();
    map.set('x', inner);
    map = inner;
  }
  const deletion = encoding.createEncoder();
  encoding.writeVarUint(deletion, 0); // no structs
  encoding.writeVarUint(deletion, 1); // delete set: one client
  encoding.writeVarUint(deletion, doc.clientID);
  encoding.writeVarUint(deletion, 1); // one range
  encoding.writeVarUint(deletion, 0); // clock
  encoding.writeVarUint(deletion, 1); // length
  return [syncUpdate(Y.encodeStateAsUpdate(doc)), syncUpdate(encoding.toUint8Array(deletion))];
}

/** A message a little above the server's 8 MB frame limit (refused from its header, 4413). */
export function oversizedMessage(bytes = 8 * 1024 * 1024 + 1024): Uint8Array {
  const out = new Uint8Array(bytes);
  out[0] = MessageType.sync;
  return out;
}

/**
 * Starts one hostile client of `kind` against `rooms` (shared with honest editors) and keeps it
 * hostile until `stop()`: every socket the server closes is opened again after `retryMs`.
 */
export function startHostile(kind: HostileKind, url: string, accessToken: string, rooms: readonly string[], index: number, retryMs = 250): Hostile {
  const closes = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  const room = (): string => rooms[index % rooms.length] ?? rooms[0] ?? `doc:${randomUUID()}`;
  const later = (fn: () => void, ms: number): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };
  const track = (socket: WebSocket, again: () => void): void => {
    sockets.add(socket);
    socket.on('close', (code, reason) => {
      sockets.delete(socket);
      const key = `${code} ${reason.toString()}`.trim();
      closes.set(key, (closes.get(key) ?? 0) + 1);
      if (!stopped) later(again, retryMs);
    });
  };

  const nonReader = (): void => {
    const socket = openSocket(url, room(), accessToken);
    track(socket, nonReader);
    socket.once('message', () => socket.pause());
  };

  const awarenessFlood = (): void => {
    const socket = openSocket(url, room(), accessToken);
    track(socket, awarenessFlood);
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    let n = 0;
    const pump = (): void => {
      if (stopped || socket.readyState !== WebSocket.OPEN) return;
      n += 1;
      awareness.setLocalState({ user: { name: `Flooder ${index}` }, cursor: n, pad: 'x'.repeat(3_800) });
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.awareness);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]));
      socket.send(encoding.toUint8Array(e), () => setImmediate(pump));
    };
    socket.once('message', pump);
  };

  // Odd ones send nested updates (the stack-overflow attack, refused by L1), even ones oversized
  // frames, both into the honest editors' shared rooms.
  const nested = index % 2 === 1 ? nestedUpdates(3_000) : null;
  const oversized = index % 2 === 0 ? [oversizedMessage()] : null;
  const badUpdates = (): void => {
    const socket = openSocket(url, room(), accessToken);
    track(socket, badUpdates);
    socket.once('message', () => {
      for (const message of nested ?? oversized ?? []) if (socket.readyState === WebSocket.OPEN) socket.send(message);
    });
  };

  const storm = (): void => {
    // 30 sockets at once, to shared rooms and to new documents, each closed as soon as it opens.
    let open = 30;
    for (let i = 0; i < 30; i += 1) {
      const socket = openSocket(url, i % 2 === 0 ? room() : `doc:${randomUUID()}`, accessToken);
      sockets.add(socket);
      socket.once('open', () => socket.close());
      socket.on('close', (code, reason) => {
        sockets.delete(socket);
        const key = `${code} ${reason.toString()}`.trim();
        closes.set(key, (closes.get(key) ?? 0) + 1);
        open -= 1;
        if (open === 0 && !stopped) later(storm, 50);
      });
    }
  };

  const start = { 'non-reader': nonReader, 'awareness-flood': awarenessFlood, 'oversized-or-nested': badUpdates, 'reconnect-storm': storm }[kind];
  start();
  return {
    kind,
    closes,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const socket of sockets) socket.terminate();
      sockets.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One phase: honest editors for `seconds`, with or without hostile clients

/** Runs the hostile clients against `rooms` until `stop()`, which reports the closes they saw. */
export type HostileRunner = (rooms: readonly string[]) => Promise<{ stop(): Promise<Map<string, number>> }>;

/** The hostile clients in this process (the short test); the bench runs them in a child. */
export function inProcessHostiles(url: string, hostile: readonly { kind: HostileKind; accessToken: string }[]): HostileRunner {
  return (rooms) => {
    const started = hostile.map((h, index) => startHostile(h.kind, url, h.accessToken, rooms, index));
    return Promise.resolve({
      stop() {
        const closes = new Map<string, number>();
        for (const h of started) {
          h.stop();
          for (const [key, n] of h.closes) closes.set(`${h.kind}: ${key}`, (closes.get(`${h.kind}: ${key}`) ?? 0) + n);
        }
        return Promise.resolve(closes);
      },
    });
  };
}

export interface SoakPhaseOptions {
  url: string;
  /** One access token per honest editor (each its own user in the soak). */
  honestTokens: readonly string[];
  docs: number;
  /** Starts the hostile clients once the honest editors are loaded; none for a quiet phase. */
  hostile: HostileRunner | null;
  seconds: number;
  editHz: number;
  /** How long to wait for the last acks after the edits stop. */
  drainMs: number;
  progress?: (message: string) => void;
}

export interface SoakPhaseResult {
  editors: HonestEditor[];
  rooms: string[];
  ackMs: number[];
  edits: number;
  /** Edits without an ack when the drain ended (not lost: never acknowledged). */
  unacked: number;
  /** Honest editors that got no ack for any edit. */
  editorsUnserved: number;
  /** Server close frames honest editors received (4429 etc.), "code reason" → count. */
  honestCloses: Map<string, number>;
  hostileCloses: Map<string, number>;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await pause(50);
  }
  return true;
}

export async function runSoakPhase(options: SoakPhaseOptions): Promise<SoakPhaseResult> {
  const rooms = Array.from({ length: options.docs }, () => `doc:${randomUUID()}`);
  const editors: HonestEditor[] = [];
  // Connect in small batches, each loaded (first ack) before the next: setup is not measured.
  for (let i = 0; i < options.honestTokens.length; i += 20) {
    const batch = options.honestTokens.slice(i, i + 20).map((accessToken, k) => {
      const index = i + k;
      return connectEditor(options.url, rooms[index % rooms.length] ?? '', accessToken, `e${index}`);
    });
    editors.push(...batch);
    if (!(await waitUntil(() => batch.every((e) => e.client.durable !== null), 60_000))) {
      throw new Error(`honest editors ${i}–${i + batch.length - 1} were not loaded within 60 s`);
    }
  }
  options.progress?.(`${editors.length} honest editors on ${rooms.length} documents${options.hostile === null ? '' : ', hostile clients starting'}`);
  const hostiles = options.hostile === null ? null : await options.hostile(rooms);

  const periodMs = 1000 / options.editHz;
  const endAt = Date.now() + options.seconds * 1000;
  const timers = editors.map((editor) => {
    const tick = (): void => {
      if (Date.now() >= endAt) return;
      editOnce(editor);
      timer = setTimeout(tick, periodMs);
    };
    let timer = setTimeout(tick, Math.random() * periodMs);
    return () => clearTimeout(timer);
  });
  await pause(options.seconds * 1000);
  for (const stop of timers) stop();
  const hostileCloses = (await hostiles?.stop()) ?? new Map<string, number>();
  await waitUntil(() => editors.every((e) => e.pending.length === 0), options.drainMs);

  const honestCloses = new Map<string, number>();
  for (const e of editors) {
    for (const c of e.client.closes) {
      const key = `${c.code} ${c.reason}`.trim();
      honestCloses.set(key, (honestCloses.get(key) ?? 0) + 1);
    }
  }
  return {
    editors,
    rooms,
    ackMs: editors.flatMap((e) => e.ackMs),
    edits: editors.reduce((sum, e) => sum + e.written, 0),
    unacked: editors.reduce((sum, e) => sum + e.pending.length, 0),
    editorsUnserved: editors.filter((e) => e.acked < 0).length,
    honestCloses,
    hostileCloses,
  };
}

/** The server's copy of every room, read by a fresh client (after a restart: what is on disk). */
export async function readRooms(url: string, accessToken: string, rooms: readonly string[]): Promise<Map<string, Y.Doc>> {
  const docs = new Map<string, Y.Doc>();
  for (let i = 0; i < rooms.length; i += 20) {
    const batch = rooms.slice(i, i + 20).map((room) => ({ room, client: new AckingClient(url, room, accessToken) }));
    const loaded = await waitUntil(() => batch.every((b) => b.client.provider.synced), 60_000);
    for (const b of batch) {
      // Copy out, then let the client go (its doc is destroyed with it).
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(b.client.doc));
      docs.set(b.room, copy);
      b.client.destroy();
    }
    if (!loaded) throw new Error('rooms could not be read back within 60 s');
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// Accounts: each honest editor and each hostile kind is a user of its own in the demo team

export const SOAK_PASSWORD = 'soak-wachtwoord-123';
/** Cheap scrypt: hundreds of soak accounts sign in within seconds. */
export const SOAK_SCRYPT = { N: 2 ** 10, r: 8, p: 1 } as const;

export const honestUsername = (i: number): string => `soak-editor-${i}`;
export const hostileUsername = (kind: HostileKind): string => `soak-${kind}`;

export function soakUsernames(honest: number): string[] {
  return [...Array.from({ length: honest }, (_, i) => honestUsername(i)), ...HOSTILE_KINDS.map(hostileUsername)];
}

// The sync server's traffic limits against real sockets (L5–L9): a socket that never reads, an
// awareness flood, a user sending too many bytes, too many sockets or rooms, a burst of new
// documents, a half-open connection. Each crosses one limit (set low through its setting) and
// shows 4429 with its reason, while another user's edits are still acknowledged.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../server/limits/traffic-control';
import type { TrafficLimits } from '../../server/limits/settings';
import { LimitReason } from '../../shared/protocol/limit-reasons';
import { CloseCode, MessageType } from '../../shared/protocol/messages';
import { AckingClient, login, openRaw, startTestServer, waitFor, wsUrl, type TestServer } from '../support/server';
import { bodyText } from '../support/body-text';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const raws: WebSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const r of raws.splice(0)) r.terminate();
  for (const s of servers.splice(0)) await s.dispose();
});

async function server(trafficLimits: Partial<TrafficLimits>, perConnection?: { burstMessages: number; messagesPerSecond: number }): Promise<TestServer> {
  const s = await startTestServer({ trafficLimits, ...(perConnection === undefined ? {} : { limits: perConnection }) });
  servers.push(s);
  return s;
}

function client(url: string, room: string, token: string): AckingClient {
  const c = new AckingClient(url, room, token);
  clients.push(c);
  return c;
}

interface Raw {
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves 'joined' at the server's first message (it joined the room), or with the close. */
  outcome: Promise<'joined' | { code: number; reason: string }>;
}

function raw(url: string, room: string, token: string): Raw {
  const r = openRaw(url, room, token);
  raws.push(r.socket);
  const joined = new Promise<'joined'>((resolveJoined) => r.socket.once('message', () => resolveJoined('joined')));
  return { socket: r.socket, closed: r.closed, outcome: Promise.race([joined, r.closed]) };
}

const count = (s: TestServer, event: TrafficEvent): number => s.sync.traffic.counts().get(event) ?? 0;
const newRoom = (): string => `doc:${randomUUID()}`;

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

function textUpdate(text: string): Uint8Array {
  const d = new Y.Doc();
  bodyText(d).insert(0, text);
  return Y.encodeStateAsUpdate(d);
}

/** Awareness messages from one client, each carrying `padding` characters of state. */
function awarenessSender(padding: number): () => Uint8Array {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  let n = 0;
  return () => {
    n += 1;
    awareness.setLocalState({ user: { name: 'Flooder' }, cursor: n, pad: 'x'.repeat(padding) });
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]));
    return encoding.toUint8Array(e);
  };
}

/** Another user's work goes on: an edit on their own document is acknowledged. */
async function otherUserIsServed(s: TestServer, token: string, editor?: AckingClient): Promise<void> {
  const c = editor ?? client(s.url, newRoom(), token);
  bodyText(c.doc).insert(0, `bewaard ${randomUUID()}`);
  await c.waitSaved(20_000);
}

const sent = (socket: WebSocket, data: Uint8Array): Promise<void> =>
  new Promise((resolveSent, reject) => socket.send(data, (error) => (error ? reject(error) : resolveSent())));

describe('traffic limits (L5–L9)', () => {
  it('[L5] a socket that never reads: awareness to it is dropped past the soft limit, past the hard limit it is closed with 4429 send-queue-full; the room goes on', async () => {
    const s = await server({
      sendQueueSoftBytes: 64 * 1024,
      sendQueueHardBytes: 512 * 1024,
      awarenessBurst: 100_000,
      awarenessPerSecond: 100_000,
      awarenessMaxBytes: 1024 * 1024,
      awarenessBytesBurst: 4096 * 1024 * 1024,
      awarenessBytesPerSecond: 4096 * 1024 * 1024,
      userBytesBurst: 1024 * 1024 * 1024,
      userBytesPerSecond: 1024 * 1024 * 1024,
    }, { burstMessages: 100_000, messagesPerSecond: 100_000 }); // the flooder itself must never be the one closed (S6's bucket)
    const field = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const room = newRoom();
    const editor = client(s.url, room, office.accessToken);
    await waitFor(() => editor.durable !== null, 10_000, 'editor in the room');

    const stuck = raw(s.url, room, field.accessToken);
    expect(await stuck.outcome).toBe('joined');
    stuck.socket.pause(); // the TCP socket is no longer read: the server's queue to it grows
    const flooder = raw(s.url, room, office.accessToken);
    expect(await flooder.outcome).toBe('joined');

    // Others send awareness: without L5 every update is queued for the stuck socket for ever.
    const nextAwareness = awarenessSender(100_000);
    for (let i = 0; i < 400 && count(s, 'awareness-dropped') === 0; i += 1) await sent(flooder.socket, nextAwareness());
    await waitFor(() => count(s, 'awareness-dropped') > 0, 20_000, 'awareness dropped for the stuck socket');
    expect(s.rooms.peek(room)?.peers.size).toBe(3); // dropping awareness does not close it
    await otherUserIsServed(s, office.accessToken, editor);

    // Content cannot be dropped: past the hard limit the stuck socket is closed.
    // The kernel's socket buffers on loopback take some MB before the server's own queue grows.
    for (let i = 0; i < 2_000 && count(s, LimitReason.sendQueueFull) === 0; i += 1) {
      await sent(flooder.socket, updateMessage(textUpdate('y'.repeat(200_000))));
    }
    await waitFor(() => count(s, LimitReason.sendQueueFull) > 0, 20_000, 'stuck socket closed');
    await waitFor(() => s.rooms.peek(room)?.peers.size === 2, 10_000, 'stuck socket out of the room');
    stuck.socket.resume(); // reads what was queued up to the limit, then the close frame
    expect(await stuck.closed).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.sendQueueFull });
    await otherUserIsServed(s, office.accessToken, editor);
  });

  it('[L6] an awareness flood on one connection closes it with 4429 awareness-too-fast; another user edits on', async () => {
    const s = await server({ awarenessBurst: 5, awarenessPerSecond: 1 });
    const field = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const room = newRoom();
    const editor = client(s.url, room, office.accessToken);
    await waitFor(() => editor.durable !== null, 10_000, 'editor in the room');
    const flooder = raw(s.url, room, field.accessToken);
    expect(await flooder.outcome).toBe('joined');
    const nextAwareness = awarenessSender(10);
    for (let i = 0; i < 20 && flooder.socket.readyState === WebSocket.OPEN; i += 1) flooder.socket.send(nextAwareness());
    expect(await flooder.closed).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.awarenessTooFast });
    expect(editor.closes).toEqual([]); // it heard the flood and echoed it (stock y-websocket) unharmed
    await otherUserIsServed(s, office.accessToken, editor);
  });

  it('[L6] presence bytes are counted per user across sockets and reconnects: past the budget 4429 user-awareness-too-fast, and a new socket does not refill it', async () => {
    // The per-connection count is out of the way: only the user's byte budget can close.
    const s = await server({ awarenessBurst: 100_000, awarenessPerSecond: 100_000, awarenessBytesBurst: 8 * 1024, awarenessBytesPerSecond: 256 });
    const field = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const room = newRoom();
    const editor = client(s.url, room, office.accessToken);
    await waitFor(() => editor.durable !== null, 10_000, 'editor in the room');
    const first = raw(s.url, room, field.accessToken);
    expect(await first.outcome).toBe('joined');
    const nextAwareness = awarenessSender(2_000);
    for (let i = 0; i < 20 && first.socket.readyState === WebSocket.OPEN; i += 1) await sent(first.socket, nextAwareness()).catch(() => undefined);
    expect(await first.closed).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.userAwarenessTooFast });
    // Reconnecting gives a fresh per-connection count, not a fresh byte budget: refilling 6 KB
    // at 256 bytes per second takes 24 s, so three more states close the new socket at once.
    const second = raw(s.url, room, field.accessToken);
    expect(await second.outcome).toBe('joined');
    for (let i = 0; i < 3 && second.socket.readyState === WebSocket.OPEN; i += 1) await sent(second.socket, nextAwareness()).catch(() => undefined);
    expect(await second.closed).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.userAwarenessTooFast });
    expect(editor.closes).toEqual([]);
    await otherUserIsServed(s, office.accessToken, editor);
  });

  it('[L6] a presence state bigger than the limit closes with 4413 awareness-too-large; an honest echo of several presences does not', async () => {
    const s = await server({ awarenessMaxBytes: 4096 });
    const field = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const room = newRoom();
    // Two presences just under the limit; an editor joining after them echoes both in one message.
    for (const pad of [3_000, 3_000]) {
      const near = raw(s.url, room, field.accessToken);
      expect(await near.outcome).toBe('joined');
      await sent(near.socket, awarenessSender(pad)());
    }
    const editor = client(s.url, room, office.accessToken);
    await waitFor(() => editor.provider.awareness.getStates().size === 3, 10_000, 'both presences at the editor');
    await otherUserIsServed(s, office.accessToken, editor); // after its echo on the same socket
    expect(editor.closes).toEqual([]);
    const sender = raw(s.url, room, field.accessToken);
    expect(await sender.outcome).toBe('joined');
    sender.socket.send(awarenessSender(10_000)());
    expect(await sender.closed).toEqual({ code: CloseCode.tooLarge, reason: LimitReason.awarenessTooLarge });
    expect(editor.provider.awareness.getStates().size).toBe(3); // nothing of it reached the room
    await otherUserIsServed(s, office.accessToken, editor);
    expect(editor.closes).toEqual([]);
  });

  it('[L6] bytes per second are counted across all of a user\'s sockets: 4429 user-bytes-too-fast; another user edits on', async () => {
    const s = await server({ userBytesBurst: 64 * 1024, userBytesPerSecond: 1024 });
    const field = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const a = raw(s.url, newRoom(), field.accessToken);
    const b = raw(s.url, newRoom(), field.accessToken);
    expect(await a.outcome).toBe('joined');
    expect(await b.outcome).toBe('joined');
    // 30 KB per message: each socket alone stays under the 64 KB burst, together they do not.
    await sent(a.socket, updateMessage(textUpdate('a'.repeat(30_000))));
    await sent(b.socket, updateMessage(textUpdate('b'.repeat(30_000))));
    await sent(a.socket, updateMessage(textUpdate('c'.repeat(30_000))));
    const closes = await Promise.race([a.closed, b.closed]);
    expect(closes).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.userBytesTooFast });
    await otherUserIsServed(s, office.accessToken);
  });

  it('[L7] open sockets per user: past the quota 4429 too-many-sockets-user, a freed socket gives the place back; another user connects', async () => {
    const s = await server({ socketsPerUser: 3 });
    const field = await login(s.url, 'veldwerker');
    const fieldOther = await login(s.url, 'veldwerker'); // second device of the same user
    const office = await login(s.url, 'kantoor');
    const held = [raw(s.url, newRoom(), field.accessToken), raw(s.url, newRoom(), field.accessToken), raw(s.url, newRoom(), fieldOther.accessToken)];
    for (const r of held) expect(await r.outcome).toBe('joined');
    const over = raw(s.url, newRoom(), fieldOther.accessToken);
    expect(await over.outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.socketsPerUser });
    await otherUserIsServed(s, office.accessToken);
    held[0]?.socket.close();
    await held[0]?.closed;
    await waitFor(() => s.sync.traffic.ledger.socketsOf(field.user.id) === 2, 10_000, 'socket given back');
    expect(await raw(s.url, newRoom(), field.accessToken).outcome).toBe('joined');
  });

  it('[L7] open sockets per device: past the quota 4429 too-many-sockets-device; the same user on another device connects', async () => {
    const s = await server({ socketsPerDevice: 2 });
    const phone = await login(s.url, 'veldwerker');
    const laptop = await login(s.url, 'veldwerker');
    for (let i = 0; i < 2; i += 1) expect(await raw(s.url, newRoom(), phone.accessToken).outcome).toBe('joined');
    expect(await raw(s.url, newRoom(), phone.accessToken).outcome).toEqual({
      code: CloseCode.tooManyMessages,
      reason: LimitReason.socketsPerDevice,
    });
    expect(await raw(s.url, newRoom(), laptop.accessToken).outcome).toBe('joined');
  });

  it('[L10] one token opening sockets faster than allowed: 4429 too-many-connects before the token is verified, held for the refusal delay; another device connects', async () => {
    const s = await server({ connectBurst: 3, connectPerSecond: 1, refusalDelayMs: 300 });
    const phone = await login(s.url, 'veldwerker');
    const laptop = await login(s.url, 'veldwerker');
    const room = newRoom();
    /** Opens sockets with `token` one after another until one is refused with 4429; their outcomes. */
    const until429 = async (token: string): Promise<{ outcomes: ('joined' | number)[]; refusedAfterMs: number }> => {
      const outcomes: ('joined' | number)[] = [];
      for (let i = 0; i < 30; i += 1) {
        const opened = Date.now();
        const outcome = await raw(s.url, room, token).outcome;
        if (outcome !== 'joined' && outcome.code === CloseCode.tooManyMessages) {
          expect(outcome.reason).toBe(LimitReason.connectTooFast);
          return { outcomes, refusedAfterMs: Date.now() - opened };
        }
        outcomes.push(outcome === 'joined' ? outcome : outcome.code);
      }
      throw new Error(`no 4429 after 30 sockets: ${outcomes.join(', ')}`);
    };
    const phoneRun = await until429(phone.accessToken);
    expect(phoneRun.outcomes.length).toBeGreaterThanOrEqual(3); // the burst (plus what refilled meanwhile)
    expect(phoneRun.outcomes.every((o) => o === 'joined')).toBe(true);
    // Held, not closed at once: a reconnect loop costs the server one upgrade per delay.
    expect(phoneRun.refusedAfterMs).toBeGreaterThanOrEqual(300);
    // Charged before verification: a forged token past its own burst is not even checked (4429, not 4401).
    const forgedRun = await until429(`${phone.accessToken.slice(0, -4)}AAAA`);
    expect(forgedRun.outcomes.length).toBeGreaterThanOrEqual(3);
    expect(forgedRun.outcomes.every((o) => o === CloseCode.unauthorized)).toBe(true);
    expect(count(s, LimitReason.connectTooFast)).toBe(2);
    expect(await raw(s.url, room, laptop.accessToken).outcome).toBe('joined');
  });

  it('[L10] a socket closed for hostile input (4400, 4413) costs its token ten attempts: a device that keeps sending what is refused is held back sooner', async () => {
    const s = await server({ connectBurst: 20, connectPerSecond: 1, refusalDelayMs: 0 });
    const phone = await login(s.url, 'veldwerker');
    const room = newRoom();
    for (let i = 0; i < 2; i += 1) {
      const r = raw(s.url, room, phone.accessToken);
      expect(await r.outcome).toBe('joined');
      r.socket.send('geen binair bericht'); // a text frame: malformed
      expect((await r.closed).code).toBe(CloseCode.malformed);
    }
    // 2 sockets + 2 × 10 penalty > a burst of 20 (what refilled meanwhile is a few at most).
    const outcomes: ('joined' | number)[] = [];
    for (let i = 0; i < 5; i += 1) {
      const outcome = await raw(s.url, room, phone.accessToken).outcome;
      if (outcome !== 'joined') {
        expect(outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.connectTooFast });
        break;
      }
      outcomes.push(outcome);
    }
    expect(outcomes.length).toBeLessThan(5);
  });

  it('[L7] rooms joined at once per user and per device: a further room is 4429 too-many-rooms-*; a second socket to a joined room is not', async () => {
    const s = await server({ roomsPerUser: 3, roomsPerDevice: 2 });
    const phone = await login(s.url, 'veldwerker');
    const laptop = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const [r1, r2, r3, r4] = [newRoom(), newRoom(), newRoom(), newRoom()];
    expect(await raw(s.url, r1, phone.accessToken).outcome).toBe('joined');
    expect(await raw(s.url, r2, phone.accessToken).outcome).toBe('joined');
    expect(await raw(s.url, r1, phone.accessToken).outcome).toBe('joined'); // same room again
    expect(await raw(s.url, r3, phone.accessToken).outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.roomsPerDevice });
    expect(await raw(s.url, r3, laptop.accessToken).outcome).toBe('joined');
    expect(await raw(s.url, r4, laptop.accessToken).outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.roomsPerUser });
    await otherUserIsServed(s, office.accessToken);
  });

  it('[L8] one user opening many empty documents: past the hourly quota 4429 too-many-new-documents-user, nothing is created; existing documents still open, another user creates on', async () => {
    // "3,000 sockets from one user open 3,000 empty documents", at test size.
    const s = await server({ newDocumentsPerHourUser: 5, newDocumentsPerHourDevice: 1000 });
    const field = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const rooms = Array.from({ length: 30 }, newRoom);
    const outcomes: ('joined' | { code: number; reason: string })[] = [];
    for (const room of rooms) {
      const r = raw(s.url, room, field.accessToken);
      outcomes.push(await r.outcome);
      r.socket.close();
      await r.closed;
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill('joined'));
    for (const refused of outcomes.slice(5)) {
      expect(refused).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.newDocumentsPerUser });
    }
    const created = await Promise.all(rooms.map((room) => s.store.getDocument(room.slice('doc:'.length))));
    expect(created.filter((row) => row !== null)).toHaveLength(5);
    expect(await raw(s.url, rooms[0] ?? '', field.accessToken).outcome).toBe('joined');
    await otherUserIsServed(s, office.accessToken);
  });

  it('[L8] new documents per device: past the hourly quota 4429 too-many-new-documents-device; the user\'s other device creates on', async () => {
    const s = await server({ newDocumentsPerHourDevice: 2 });
    const phone = await login(s.url, 'veldwerker');
    const laptop = await login(s.url, 'veldwerker');
    for (let i = 0; i < 2; i += 1) expect(await raw(s.url, newRoom(), phone.accessToken).outcome).toBe('joined');
    expect(await raw(s.url, newRoom(), phone.accessToken).outcome).toEqual({
      code: CloseCode.tooManyMessages,
      reason: LimitReason.newDocumentsPerDevice,
    });
    expect(await raw(s.url, newRoom(), laptop.accessToken).outcome).toBe('joined');
  });

  it('[L9] a connection that stops answering pings is dropped within the pong timeout; a live one stays', async () => {
    const s = await server({ pingIntervalMs: 100, pongTimeoutMs: 600 });
    const field = await login(s.url, 'veldwerker');
    const office = await login(s.url, 'kantoor');
    const room = newRoom();
    const live = client(s.url, room, office.accessToken);
    await waitFor(() => live.durable !== null, 10_000, 'live client in the room');
    const dead = new WebSocket(`${wsUrl(s.url)}/${room}?token=${encodeURIComponent(field.accessToken)}`, { autoPong: false });
    raws.push(dead);
    const joined = new Promise<void>((resolveJoined) => dead.once('message', () => resolveJoined()));
    const closed = new Promise<number>((resolveClosed) => dead.on('close', (code) => resolveClosed(code)));
    dead.on('error', () => undefined);
    await joined;
    dead.pause(); // like a phone that lost the network: nothing more is read or answered
    await waitFor(() => count(s, 'ping-timeout') === 1, 10_000, 'dead connection dropped');
    await waitFor(() => s.rooms.peek(room)?.peers.size === 1, 10_000, 'dead connection out of the room');
    dead.resume();
    expect(await closed).toBe(1006); // terminated: no close handshake with a dead peer
    expect(live.closes).toEqual([]);
    await otherUserIsServed(s, office.accessToken, live);
  });

  it('[L5] [L9] a malformed SYNC_* setting stops the start with its name (npm start)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-limits-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...process.env, PORT: '0', DATA_DIR: dataDir, SYNC_SOCKETS_PER_DEVICE: 'veel' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolveExit) => child.on('exit', (c) => resolveExit(c)));
      expect(code).toBe(2);
      expect(out).toContain('SYNC_SOCKETS_PER_DEVICE must be a whole number');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

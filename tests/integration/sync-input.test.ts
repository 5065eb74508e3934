// Hostile input to the sync server, against the real server with real sockets: L1 (bounded CRDT
// input: depth, size, shape), L2 (a room whose update threw is reloaded from the store and keeps
// committing), L3 (bad room names get the upgrade and 4400) and L4 (awareness from the token).
import { PassThrough } from 'node:stream';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CloseCode, CloseReason } from '../../shared/protocol/messages';
import { AckingClient, login, openRaw, waitFor, type TestServer, trackTestServers } from '../support/server';
import { awarenessMessage, nestedMapsThenDeletion, updateMessage } from '../support/hostile-updates';

const { server, clients } = trackTestServers();

function client(url: string, room: string, token: string): AckingClient {
  const c = new AckingClient(url, room, token);
  clients.push(c);
  return c;
}

function fieldOf(doc: Y.Doc, key: string): unknown {
  return doc.getMap('fields').get(key);
}

/** What the store holds for a room, as a fresh doc. */
async function stored(s: TestServer, room: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of (await s.store.loadUpdates(room)).updates) Y.applyUpdate(doc, update);
  return doc;
}

async function refusedWith(s: TestServer, room: string, token: string, message: Uint8Array): Promise<{ code: number; reason: string }> {
  const raw = openRaw(s.url, room, token);
  await raw.opened;
  raw.socket.send(message);
  return raw.closed;
}

describe('hostile CRDT input', () => {
  it('[L1] a few thousand nested maps and their deletion close only that connection (4400); the room keeps committing', async () => {
    const s = await server();
    const { accessToken } = await login(s.url, 'veldwerker');
    const room = `doc:${randomUUID()}`;
    const good = client(s.url, room, accessToken);
    good.doc.getMap('fields').set('naam', 'voor');
    await good.waitSaved();

    const attack = nestedMapsThenDeletion(3000);
    expect(attack.byteLength).toBeLessThan(64 * 1024);
    expect(await refusedWith(s, room, accessToken, updateMessage(attack))).toEqual({ code: CloseCode.malformed, reason: 'update-too-deep' });

    good.doc.getMap('fields').set('naam', 'na de aanval');
    await good.waitSaved(5_000);
    const other = client(s.url, room, accessToken);
    await waitFor(() => fieldOf(other.doc, 'naam') === 'na de aanval', 5_000, 'second client sees the edit');
    expect(fieldOf(await stored(s, room), 'naam')).toBe('na de aanval');
  });

  it('[L1] nesting built up over several updates is counted through the document', async () => {
    const s = await server({ updateBounds: { maxDepth: 10 } });
    const { accessToken } = await login(s.url, 'veldwerker');
    const room = `doc:${randomUUID()}`;
    const c = client(s.url, room, accessToken);
    const deepest = (): Y.Map<unknown> => {
      let m = c.doc.getMap<unknown>('meta');
      for (;;) {
        const next = m.get('x');
        if (!(next instanceof Y.Map)) return m;
        m = next;
      }
    };
    for (let i = 0; i < 10; i++) {
      deepest().set('x', new Y.Map());
      await c.waitSaved();
    }
    expect(c.closes).toEqual([]);
    deepest().set('x', new Y.Map());
    await waitFor(() => c.closes.length > 0, 5_000, 'the eleventh level refused');
    expect(c.closes[0]).toEqual({ code: CloseCode.malformed, reason: 'update-too-deep' });
  });

  it('[L1] top-level types the document model does not define, or used the wrong way, close with 4400', async () => {
    const s = await server();
    const { accessToken } = await login(s.url, 'veldwerker');
    const room = `doc:${randomUUID()}`;
    const good = client(s.url, room, accessToken);
    good.doc.getMap('fields').set('naam', 'goed');
    await good.waitSaved();

    const unknownRoot = new Y.Doc();
    unknownRoot.getText('t').insert(0, 'ergens anders');
    expect(await refusedWith(s, room, accessToken, updateMessage(Y.encodeStateAsUpdate(unknownRoot)))).toEqual({
      code: CloseCode.malformed,
      reason: 'unknown-root-type',
    });
    const sequenceInMap = new Y.Doc();
    sequenceInMap.getArray('fields').push(['geen sleutel']);
    expect(await refusedWith(s, room, accessToken, updateMessage(Y.encodeStateAsUpdate(sequenceInMap)))).toEqual({
      code: CloseCode.malformed,
      reason: 'update-wrong-shape',
    });
    const mapInSequence = new Y.Doc();
    mapInSequence.getMap('agreements').set('a', 1);
    expect((await refusedWith(s, room, accessToken, updateMessage(Y.encodeStateAsUpdate(mapInSequence)))).reason).toBe('update-wrong-shape');

    good.doc.getMap('fields').set('naam', 'nog steeds goed');
    await good.waitSaved(5_000);
    expect(s.rooms.peek(room)?.doc.share.has('t')).toBe(false);
  });

  it('[L1] updates above the struct, content or clock bounds close with 4413', async () => {
    const s = await server({ updateBounds: { maxStructs: 500, maxContentUnits: 10_000, maxClockSpan: 20_000 } });
    const { accessToken } = await login(s.url, 'veldwerker');
    const room = `doc:${randomUUID()}`;
    const good = client(s.url, room, accessToken);
    good.doc.getMap('fields').set('naam', 'goed');
    await good.waitSaved();

    const manyStructs = new Y.Doc();
    for (let i = 0; i < 600; i++) manyStructs.getMap('fields').set(`k${i}`, i);
    const longText = new Y.Doc();
    longText.getMap('fields').set('lang', 'x'.repeat(12_000));
    const longDeleted = new Y.Doc();
    const text = new Y.Text();
    longDeleted.getMap('sections').set('s', text);
    for (let i = 0; i < 3; i++) {
      text.insert(0, 'y'.repeat(8_000));
      text.delete(0, 8_000);
    }
    for (const [name, doc] of [['structs', manyStructs], ['content', longText], ['clock span', longDeleted]] as const) {
      expect(await refusedWith(s, room, accessToken, updateMessage(Y.encodeStateAsUpdate(doc))), name).toEqual({
        code: CloseCode.tooLarge,
        reason: 'update-too-large',
      });
    }
    good.doc.getMap('fields').set('naam', 'nog steeds goed');
    await good.waitSaved(5_000);
  });
});

describe('a room whose update throws', () => {
  it('[L2] is reloaded from the store at once: the others reconnect and keep committing; the failure is logged and counted', async () => {
    const log = new PassThrough();
    const lines: string[] = [];
    log.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter((l) => l.length > 0)));
    // The depth bound switched off, so Yjs itself throws (stack overflow) while applying.
    const s = await server({ updateBounds: { maxDepth: 1_000_000 }, logLevel: 'error', logStream: log });
    const { accessToken } = await login(s.url, 'veldwerker');
    const room = `doc:${randomUUID()}`;
    const a = client(s.url, room, accessToken);
    const b = client(s.url, room, accessToken);
    a.doc.getMap('fields').set('a', 'bewaard voor de aanval');
    await a.waitSaved();
    await waitFor(() => fieldOf(b.doc, 'a') === 'bewaard voor de aanval', 5_000, 'b synced');
    const before = s.rooms.peek(room);

    expect(await refusedWith(s, room, accessToken, updateMessage(nestedMapsThenDeletion(3000)))).toEqual({
      code: CloseCode.malformed,
      reason: CloseReason.malformed,
    });
    await waitFor(() => a.closes.length > 0 && b.closes.length > 0, 5_000, 'peers told to reconnect');
    expect(a.closes[0]).toEqual({ code: CloseCode.shuttingDown, reason: 'room-reloaded' });

    a.doc.getMap('fields').set('a', 'na de aanval');
    b.doc.getMap('fields').set('b', 'ook van b');
    await a.waitSaved(10_000);
    await b.waitSaved(10_000);
    await waitFor(() => fieldOf(a.doc, 'b') === 'ook van b' && fieldOf(b.doc, 'a') === 'na de aanval', 5_000, 'the two converge');
    expect(s.rooms.peek(room)).not.toBe(before);
    const durable = await stored(s, room);
    expect(fieldOf(durable, 'a')).toBe('na de aanval');
    expect(fieldOf(durable, 'b')).toBe('ook van b');

    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/^keukentafel_sync_apply_failures_total 1$/m);
    expect(lines.some((l) => l.includes('applying an update failed') && l.includes(room))).toBe(true);
  });
});

describe('room names', () => {
  it('[L3] malformed encoding, unknown prefix, empty, overlong or extra slashes: upgrade, then 4400 unknown-room', async () => {
    // Many sockets from one token refused for their input: L10's charge is not what this is about.
    const s = await server({ trafficLimits: { connectBurst: 100_000 } });
    const { accessToken } = await login(s.url, 'veldwerker');
    const names = ['doc%ZZ', '%E0%A4%A', 'doc:%', '', 'iets:123', 'doc:', `doc:${'a'.repeat(300)}`, `index:team:${'c'.repeat(5000)}`, 'doc:a/b'];
    for (const name of names) {
      const raw = openRaw(s.url, name, accessToken);
      let http: number | null = null;
      raw.socket.on('unexpected-response', (_request, response) => {
        http = response.statusCode ?? 0;
        raw.socket.terminate();
      });
      const closed = await raw.closed;
      expect({ name: name.slice(0, 30), http, closed }).toEqual({
        name: name.slice(0, 30),
        http: null,
        closed: { code: CloseCode.malformed, reason: CloseReason.unknownRoom },
      });
    }
    // A good name still works after all that.
    const ok = client(s.url, `doc:${randomUUID()}`, accessToken);
    ok.doc.getMap('fields').set('naam', 'goed');
    await ok.waitSaved();
  });
});

describe('awareness', () => {
  it('[L4] the user id and name others see come from the token; a forged name never reaches them', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const karim = await login(s.url, 'kantoor');
    const room = `doc:${randomUUID()}`;
    const a = client(s.url, room, vera.accessToken);
    await waitFor(() => a.durable !== null, 5_000, 'a loaded');
    const b = client(s.url, room, karim.accessToken);
    await waitFor(() => b.durable !== null, 5_000, 'b loaded');

    a.provider.awareness.setLocalStateField('user', { id: karim.user.id, name: 'Karim Kantoor', colour: '#105f26' });
    await waitFor(() => b.provider.awareness.getStates().has(a.doc.clientID), 5_000, 'b hears a');
    const seen = b.provider.awareness.getStates().get(a.doc.clientID) as { user: unknown };
    expect(seen.user).toEqual({ id: vera.user.id, name: vera.user.name, colour: '#105f26' });
  });

  it('[L4] a connection cannot change or remove awareness entries another user owns', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const karim = await login(s.url, 'kantoor');
    const room = `doc:${randomUUID()}`;
    const b = client(s.url, room, karim.accessToken);
    await waitFor(() => b.durable !== null, 5_000, 'b loaded');
    b.provider.awareness.setLocalStateField('user', { name: 'Karim Kantoor', colour: '#105f26' });
    const observer = client(s.url, room, vera.accessToken);
    await waitFor(() => observer.provider.awareness.getStates().has(b.doc.clientID), 5_000, 'observer hears b');

    const raw = openRaw(s.url, room, vera.accessToken);
    await raw.opened;
    const bClock = (b.provider.awareness.meta.get(b.doc.clientID)?.clock ?? 0) + 1;
    raw.socket.send(awarenessMessage([{ clientId: b.doc.clientID, clock: bClock, state: { user: { name: 'Gehackt' } } }]));
    raw.socket.send(awarenessMessage([{ clientId: b.doc.clientID, clock: bClock + 1, state: null }]));
    // Its own entry, sent last: once the observer hears it, the forged ones were handled.
    const own = 987_654_321;
    raw.socket.send(awarenessMessage([{ clientId: own, clock: 1, state: { user: { name: 'Mij' } } }]));
    await waitFor(() => observer.provider.awareness.getStates().has(own), 5_000, 'observer hears the raw socket');

    const bSeen = observer.provider.awareness.getStates().get(b.doc.clientID) as { user: { name: string } } | undefined;
    expect(bSeen?.user.name).toBe(karim.user.name);
    expect((observer.provider.awareness.getStates().get(own) as { user: unknown }).user).toEqual({ id: vera.user.id, name: vera.user.name });
    expect(b.closes).toEqual([]);
    raw.socket.close();
  });
});

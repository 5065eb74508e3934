// Rooms across processes (CL1–CL5): two servers on one store and one real Redis, with stock
// y-websocket clients on each. The servers run in this process (the PostgreSQL store is not
// needed to prove the relay: any store both can reach will do), each with its own Redis
// connections, as two processes would have.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createMemoryStore } from '../../server/store/memory/store';
import { INDEX_MAP, type IndexEntry } from '../../shared/model/index-entry';
import type { Store } from '../../server/store/types';
import { bodyOf, bodyText } from '../support/body-text';
import { gateStore, type GatedStore } from '../support/gated-store';
import { startRedis, type RedisServer } from '../support/redis';
import { AckingClient, login, trackTestServers, waitFor, type TestServer } from '../support/server';
import { viewOf, type StoreView } from '../support/shared-store';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const { server, clients } = trackTestServers();
let redis: RedisServer;
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});

interface Node {
  server: TestServer;
  store: StoreView;
  token: string;
}

/**
 * A server on the shared store; `redisPort` lets a test put a cuttable link in between, `wrap`
 * a gate in front of this server's store.
 */
async function node(shared: Store, redisPort = redis.port, user = 'veldwerker', wrap: (view: StoreView) => Store = (v) => v): Promise<Node> {
  const store = viewOf(shared);
  const s = await server({ store: wrap(store), redisUrl: `redis://127.0.0.1:${redisPort}` });
  const { accessToken } = await login(s.url, user);
  return { server: s, store, token: accessToken };
}

function client(url: string, room: string, token: string): AckingClient {
  const c = new AckingClient(url, room, token);
  clients.push(c);
  return c;
}

async function proxy(port: number): Promise<TcpProxy> {
  const p = await startTcpProxy(port);
  proxies.push(p);
  return p;
}

/** The clientIDs whose items an update carries. */
function authorsOf(update: Uint8Array): Set<number> {
  return new Set(Y.decodeUpdate(update).structs.map((s) => s.id.client));
}

async function storedBody(store: Store, room: string): Promise<string> {
  const doc = new Y.Doc();
  for (const u of (await store.loadUpdates(room)).updates) Y.applyUpdate(doc, u);
  return bodyOf(doc);
}

describe('rooms across processes', () => {
  it('[CL1] an edit acknowledged on server A reaches a client on server B, and B acknowledges it too', async () => {
    const shared = createMemoryStore();
    const a = await node(shared);
    const b = await node(shared);
    const room = `doc:${randomUUID()}`;
    const onA = client(a.server.url, room, a.token);
    await waitFor(() => onA.durable !== null, 10_000, 'room loaded on A');
    const onB = client(b.server.url, room, b.token);
    await waitFor(() => onB.durable !== null, 10_000, 'room loaded on B');

    bodyText(onA.doc).insert(0, 'Afspraak: zoon doet de boodschappen');
    await onA.waitSaved();
    await waitFor(() => bodyOf(onB.doc) === 'Afspraak: zoon doet de boodschappen', 10_000, 'edit relayed to B');
    // B's persisted-ack covers it: it was committed (by A) before it was relayed.
    await onB.waitSaved();
    expect(await storedBody(shared, room)).toBe('Afspraak: zoon doet de boodschappen');
  });

  it('[CL2] an update is stored once: the process that receives it over the relay does not store it again', async () => {
    const shared = createMemoryStore();
    const a = await node(shared);
    const b = await node(shared);
    const room = `doc:${randomUUID()}`;
    const onA = client(a.server.url, room, a.token);
    const onB = client(b.server.url, room, b.token);
    await waitFor(() => onA.durable !== null && onB.durable !== null, 10_000, 'room loaded on both');

    bodyText(onA.doc).insert(0, 'van A');
    await onA.waitSaved();
    await waitFor(() => bodyOf(onB.doc) === 'van A', 10_000, 'edit relayed to B');
    // B commits something of its own after it applied A's update: that commit holds B's only.
    bodyText(onB.doc).insert(5, ', van B');
    await onB.waitSaved();
    await waitFor(() => bodyOf(onA.doc) === 'van A, van B', 10_000, 'edit relayed to A');
    await onA.waitSaved();

    const fromA = onA.doc.clientID;
    const fromB = onB.doc.clientID;
    const ofRoom = (records: readonly { docId: string; update: Uint8Array }[]) => records.filter((r) => r.docId === room);
    expect(ofRoom(b.store.appended).some((r) => authorsOf(r.update).has(fromA))).toBe(false);
    expect(ofRoom(a.store.appended).some((r) => authorsOf(r.update).has(fromB))).toBe(false);
    const rows = (await shared.loadUpdates(room)).updates;
    expect(rows.filter((u) => authorsOf(u).has(fromA))).toHaveLength(ofRoom(a.store.appended).filter((r) => authorsOf(r.update).has(fromA)).length);
    expect(rows.length).toBe(ofRoom(a.store.appended).length + ofRoom(b.store.appended).length);
  });

  it('[CL3] when the link to Redis drops and comes back, B has every edit made meanwhile (merged from the store)', async () => {
    const shared = createMemoryStore();
    const a = await node(shared);
    const link = await proxy(redis.port);
    const b = await node(shared, link.port);
    const room = `doc:${randomUUID()}`;
    const onA = client(a.server.url, room, a.token);
    const onB = client(b.server.url, room, b.token);
    await waitFor(() => onA.durable !== null && onB.durable !== null, 10_000, 'room loaded on both');
    bodyText(onA.doc).insert(0, 'voor');
    await waitFor(() => bodyOf(onB.doc) === 'voor', 10_000, 'relay works before the drop');

    // B loses Redis: A's publications in this time reach nobody on B's side.
    link.down();
    const text = bodyText(onA.doc);
    for (const word of [' een', ' twee', ' drie']) {
      text.insert(text.length, word);
      await onA.waitSaved();
    }
    bodyText(onB.doc).insert(0, 'B: ');
    await onB.waitSaved();
    link.up();

    await waitFor(() => bodyOf(onB.doc) === 'B: voor een twee drie', 15_000, 'B has every edit after the link is back');
    await waitFor(() => bodyOf(onA.doc) === 'B: voor een twee drie', 15_000, "A has B's edit after the link is back");
    await onB.waitSaved();
    await onA.waitSaved();
  });

  it('[CL4] awareness from a client on A is seen on B, with the user the server took from the token', async () => {
    const shared = createMemoryStore();
    const a = await node(shared, redis.port, 'veldwerker');
    const b = await node(shared, redis.port, 'kantoor');
    const room = `doc:${randomUUID()}`;
    const onA = client(a.server.url, room, a.token);
    await waitFor(() => onA.durable !== null, 10_000, 'room loaded on A');
    const veraId = (await login(a.server.url, 'veldwerker')).user.id;
    // The device claims to be someone else; the server stamps who the token says.
    onA.provider.awareness.setLocalState({ user: { id: 'iemand-anders', name: 'Nep Naam', colour: '#336699' }, cursor: 3 });

    const onB = client(b.server.url, room, b.token);
    const seenOnB = () => onB.provider.awareness.getStates().get(onA.doc.clientID) as { user?: { id?: string; name?: string; colour?: string }; cursor?: number } | undefined;
    await waitFor(() => seenOnB()?.user !== undefined, 10_000, "A's presence on B (joined later)");
    expect(seenOnB()?.user).toEqual({ id: veraId, name: 'Vera Veldwerker', colour: '#336699' });

    onA.provider.awareness.setLocalStateField('cursor', 7);
    await waitFor(() => seenOnB()?.cursor === 7, 10_000, "A's change of presence on B");
    // Leaving on A removes the presence on B.
    onA.provider.disconnect();
    await waitFor(() => seenOnB() === undefined, 10_000, "A's presence gone on B");
  });

  it('[CL5] a server that dies loses nothing acknowledged; its clients reconnect to the other one and converge', async () => {
    const shared = createMemoryStore();
    const a = await node(shared);
    const b = await node(shared);
    // The load balancer: sends new connections to A until A dies.
    const balancer = await proxy(a.server.port);
    const room = `doc:${randomUUID()}`;
    const viaBalancer = client(`http://127.0.0.1:${balancer.port}`, room, a.token);
    const onB = client(b.server.url, room, b.token);
    await waitFor(() => viaBalancer.durable !== null && onB.durable !== null, 10_000, 'room loaded on both');

    const text = bodyText(viaBalancer.doc);
    text.insert(0, 'bevestigd');
    await viaBalancer.waitSaved();
    // A dies: from here it commits nothing, so this edit is never acknowledged by A.
    a.store.kill();
    text.insert(text.length, ' en onderweg');
    await viaBalancer.roundTrip(); // A has received it
    expect(viaBalancer.saved).toBe(false);
    balancer.retarget(b.server.port);
    for (const socket of a.server.app.websocketServer.clients) socket.terminate();

    await viaBalancer.waitSaved(15_000);
    await waitFor(() => bodyOf(onB.doc) === 'bevestigd en onderweg', 10_000, 'B has both edits');
    expect(bodyOf(viaBalancer.doc)).toBe('bevestigd en onderweg');
    expect(await storedBody(shared, room)).toBe('bevestigd en onderweg');
    await onB.waitSaved();
  });

  it('[CL7] an index room follows a document made on another process', async () => {
    const shared = createMemoryStore();
    const a = await node(shared);
    const b = await node(shared);
    const teamId = (await login(b.server.url, 'veldwerker')).user.teamId;
    const index = client(b.server.url, `index:team:${teamId}`, b.token);
    await waitFor(() => index.durable !== null, 10_000, 'index room loaded on B');
    const docId = randomUUID();
    const editor = client(a.server.url, `doc:${docId}`, a.token);
    editor.doc.getMap('meta').set('title', 'Afsprakenverslag keukentafelgesprek');
    const entries = index.doc.getMap<IndexEntry>(INDEX_MAP);
    await waitFor(() => entries.get(docId)?.title === 'Afsprakenverslag keukentafelgesprek', 10_000, 'entry made on A listed on B');
    await index.waitSaved();
  });

  it("[CL8] an update committed elsewhere never lets an ack cover this process's own uncommitted updates", async () => {
    const shared = createMemoryStore();
    const a = await node(shared);
    const gated: GatedStore[] = [];
    const b = await node(shared, redis.port, 'veldwerker', (view) => {
      const store = gateStore(view);
      gated.push(store);
      return store;
    });
    const gate = gated[0]?.commitGate;
    if (gate === undefined) throw new Error('no gate');
    const room = `doc:${randomUUID()}`;
    const onA = client(a.server.url, room, a.token);
    const onB = client(b.server.url, room, b.token);
    await waitFor(() => onA.durable !== null && onB.durable !== null, 10_000, 'room loaded on both');

    // One body both type into (two made at once would be one too many: one of them wins).
    bodyText(onA.doc).insert(0, 'start');
    await waitFor(() => bodyOf(onB.doc) === 'start', 10_000, 'shared body on B');
    gate.closed = true;
    try {
      bodyText(onB.doc).insert(5, ' B wacht');
      await gate.whenHeld(); // B's own update is in its commit, not yet durable
      bodyText(onA.doc).insert(0, 'A klaar. ');
      await onA.waitSaved();
      await waitFor(() => bodyOf(onB.doc) === 'A klaar. start B wacht', 10_000, "A's edit relayed to B");
      await onB.roundTrip();
      expect(onB.saved).toBe(false);
    } finally {
      gate.open(); // a failed test must not hold B's shutdown at the gate
    }
    await onB.waitSaved();
    await waitFor(() => bodyOf(onA.doc) === 'A klaar. start B wacht', 10_000, "B's edit relayed to A");
    expect(await storedBody(shared, room)).toBe('A klaar. start B wacht');
  });

  it('[CL9] without REDIS_URL a server holds its rooms alone and opens no connection to Redis', async () => {
    const admin = new Redis(redis.url);
    try {
      const countClients = async (): Promise<number> => String(await admin.client('LIST')).trim().split('\n').length;
      const before = await countClients();
      const s = await server();
      const { accessToken } = await login(s.url, 'veldwerker');
      const alone = client(s.url, `doc:${randomUUID()}`, accessToken);
      bodyText(alone.doc).insert(0, 'alleen');
      await alone.waitSaved();
      expect(await countClients()).toBe(before);
    } finally {
      admin.disconnect();
    }
  });
});

// Revocation, quotas and rate limits across processes (CL10–CL19): two servers in this process on
// one store (as two processes share one database) and one real Redis, each with its own Redis
// connections as a process would have. What one server revokes or counts must hold on the other.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, CloseReason, MessageType } from '../../shared/protocol/messages';
import { act } from '../support/api';
import { bodyText } from '../support/body-text';
import { LimitReason } from '../../shared/protocol/limit-reasons';
import { createLoginRateLimiter, type AttemptKeys, type LoginRateLimiter } from '../../server/auth/rate-limit';
import { createRedisAdmissionQuota } from '../../server/cluster/redis-admission-quota';
import { createRedisLoginLimiter } from '../../server/cluster/redis-login-limiter';
import { defaultTrafficLimits, type TrafficLimits } from '../../server/limits/settings';
import { UsageLedger } from '../../server/limits/usage-ledger';
import { createMemoryStore } from '../../server/store/memory/store';
import type { Store } from '../../server/store/types';
import { freePort } from '../support/postgres';
import { startRedis, type RedisServer } from '../support/redis';
import { login, openRaw, trackTestServers, type TestServer } from '../support/server';

const { server } = trackTestServers();
let redis: RedisServer;
let inspect: Redis;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  redis = await startRedis();
  inspect = new Redis(redis.url);
});
afterAll(async () => {
  inspect.disconnect();
  await redis.stop();
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** The test's store, shared by its servers; a server's close leaves it open for the others. */
function sharedStore(): Store {
  const inner = createMemoryStore();
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'close') return () => Promise.resolve();
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The store of the last pair(), for tests that wait on a committed row. */
let pairStore: Store | null = null;

/** Two servers ("processes") on one store and one Redis. */
async function pair(trafficLimits: Partial<TrafficLimits> = {}, shareOverRedis = true): Promise<[TestServer, TestServer]> {
  const store = sharedStore();
  pairStore = store;
  const redisUrl = shareOverRedis ? redis.url : undefined;
  const a = await server({ store, redisUrl, trafficLimits });
  const b = await server({ store, redisUrl, trafficLimits });
  return [a, b];
}

type Outcome = 'joined' | { code: number; reason: string };

/** A socket to `room`; `outcome` is 'joined' once the server spoke first, else how it closed. */
function connect(url: string, room: string, token: string): ReturnType<typeof openRaw> & { outcome: Promise<Outcome> } {
  const r = openRaw(url, room, token);
  sockets.push(r.socket);
  const joined = new Promise<'joined'>((resolve) => r.socket.once('message', () => resolve('joined')));
  return { ...r, outcome: Promise.race([joined, r.closed]) };
}

async function signIn(url: string, username: string, password: string): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, deviceName: 'test' }),
  });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get('retry-after') };
}

async function call(url: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function untilRow(id: string): Promise<void> {
  // Polls the condition itself (the store has no event for it); within() bounds it.
  while (((await pairStore?.getDocument(id)) ?? null) === null) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** `promise`, or a failure naming `what` after `ms` (a lost revocation must fail with a reason, not hang). */
function within<T>(promise: Promise<T>, what: string, ms = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const newRoom = (): string => `doc:${randomUUID()}`;

/** A sync update message inserting `text` into a fresh document's body. */
function edit(text: string): Uint8Array {
  const d = new Y.Doc();
  bodyText(d).insert(0, text);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(d));
  return encoding.toUint8Array(e);
}

describe('sign-in limits across processes', () => {
  it('[CL11] sign-in failures of one account and address spread over two servers are refused at the same total as on one', async () => {
    const [a, b] = await pair();
    const username = `onbekend-${randomUUID()}`;
    // G1: five failures of a pair; here alternating between the servers.
    for (let i = 0; i < 5; i += 1) expect((await signIn(i % 2 === 0 ? a.url : b.url, username, 'fout')).status).toBe(401);
    for (const s of [a, b]) {
      const refused = await signIn(s.url, username, 'fout');
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    }
  });

  it('[CL11] without REDIS_URL each process counts alone: the same failures pass twice as often (the reason for CL11)', async () => {
    const [a, b] = await pair({}, false);
    const username = `onbekend-${randomUUID()}`;
    for (const s of [a, b]) for (let i = 0; i < 5; i += 1) expect((await signIn(s.url, username, 'fout')).status).toBe(401);
    expect((await signIn(a.url, username, 'fout')).status).toBe(429);
  });

  it('[CL15] a Redis that does not answer: sign-in works and is limited per process, never unlimited', async () => {
    const dead = `redis://127.0.0.1:${await freePort()}`;
    const s = await server({ store: sharedStore(), redisUrl: dead });
    await login(s.url, 'veldwerker');
    const username = `onbekend-${randomUUID()}`;
    for (let i = 0; i < 5; i += 1) expect((await signIn(s.url, username, 'fout')).status).toBe(401);
    expect((await signIn(s.url, username, 'fout')).status).toBe(429);
    // Sockets are admitted under this process's own quota (CL15) and revocation still closes them.
    const session = await login(s.url, 'veldwerker');
    expect(await connect(s.url, newRoom(), session.accessToken).outcome).toBe('joined');
  });
});

describe('quotas across processes', () => {
  it('[CL12] a user\'s open sockets on both servers count against one quota; a closed one gives its place back on the other', async () => {
    const [a, b] = await pair({ socketsPerUser: 3 });
    const phone = await login(a.url, 'veldwerker');
    const laptop = await login(b.url, 'veldwerker');
    const first = connect(a.url, newRoom(), phone.accessToken);
    const held = [first, connect(a.url, newRoom(), phone.accessToken), connect(b.url, newRoom(), laptop.accessToken)];
    for (const s of held) expect(await s.outcome).toBe('joined');
    expect(await connect(b.url, newRoom(), laptop.accessToken).outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.socketsPerUser });
    expect(await connect(a.url, newRoom(), phone.accessToken).outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.socketsPerUser });
    // Another user is not held back by this one's quota.
    const office = await login(b.url, 'kantoor');
    expect(await connect(b.url, newRoom(), office.accessToken).outcome).toBe('joined');

    first.socket.close();
    await first.closed;
    await until(async () => (await liveAdmissions(`kt:quota:user-sockets:${phone.user.id}`)) === 2, 'socket given back in Redis');
    expect(await connect(b.url, newRoom(), laptop.accessToken).outcome).toBe('joined');
  });

  it('[CL12] rooms per device count over both servers; a second socket to a room held on the other server is no new room', async () => {
    const [a, b] = await pair({ roomsPerDevice: 2 });
    const phone = await login(a.url, 'veldwerker');
    const [r1, r2] = [newRoom(), newRoom()];
    expect(await connect(a.url, r1, phone.accessToken).outcome).toBe('joined');
    expect(await connect(b.url, r2, phone.accessToken).outcome).toBe('joined');
    expect(await connect(b.url, r1, phone.accessToken).outcome).toBe('joined');
    expect(await connect(a.url, newRoom(), phone.accessToken).outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.roomsPerDevice });
  });

  it('[CL12] new documents per device per hour count over both servers; another device is not held back', async () => {
    const [a, b] = await pair({ newDocumentsPerHourDevice: 2 });
    const phone = await login(a.url, 'veldwerker');
    expect(await connect(a.url, newRoom(), phone.accessToken).outcome).toBe('joined');
    expect(await connect(b.url, newRoom(), phone.accessToken).outcome).toBe('joined');
    expect(await connect(a.url, newRoom(), phone.accessToken).outcome).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.newDocumentsPerDevice });
    const laptop = await login(b.url, 'veldwerker');
    expect(await connect(a.url, newRoom(), laptop.accessToken).outcome).toBe('joined');
  });
});

describe('bytes per second across processes', () => {
  it('[CL13] a user\'s bytes on both servers count against one rate: under the burst on each, over it together, 4429 user-bytes-too-fast', async () => {
    const [a, b] = await pair({ userBytesBurst: 48 * 1024, userBytesPerSecond: 1024 });
    const phone = await login(a.url, 'veldwerker');
    const onA = connect(a.url, newRoom(), phone.accessToken);
    const onB = connect(b.url, newRoom(), phone.accessToken);
    expect(await onA.outcome).toBe('joined');
    expect(await onB.outcome).toBe('joined');
    // 30 KB on each server: each alone stays under the 48 KB burst, together they do not.
    onA.socket.send(edit('a'.repeat(30_000)));
    onB.socket.send(edit('b'.repeat(30_000)));
    // Small edits go on until the shared count (charged in the background) refuses the user.
    let closed: { code: number; reason: string } | null = null;
    void Promise.race([onA.closed, onB.closed]).then((c) => (closed = c));
    const deadline = Date.now() + 10_000;
    for (let i = 0; closed === null; i += 1) {
      if (Date.now() > deadline) throw new Error('never refused');
      const target = i % 2 === 0 ? onA : onB;
      if (target.socket.readyState === target.socket.OPEN) target.socket.send(edit(String(i)));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(closed).toEqual({ code: CloseCode.tooManyMessages, reason: LimitReason.userBytesTooFast });
    // Another user on either server edits on.
    const office = await login(b.url, 'kantoor');
    expect(await connect(a.url, newRoom(), office.accessToken).outcome).toBe('joined');
  });
});

describe('revocation across processes', () => {
  it('[CL10] a device revoked through server A has its socket on server B closed with 4401 device-revoked; B refuses it again with 4401', async () => {
    const [a, b] = await pair();
    const admin = await login(a.url, 'beheerder');
    const phone = await login(b.url, 'veldwerker');
    const other = await login(b.url, 'veldwerker');
    const room = newRoom();
    const onB = connect(b.url, room, phone.accessToken);
    const otherOnB = connect(b.url, room, other.accessToken);
    expect(await onB.outcome).toBe('joined');
    expect(await otherOnB.outcome).toBe('joined');
    const devices = await call(a.url, 'GET', `/api/admin/users/${phone.user.id}/devices`, admin.accessToken);
    const deviceId = deviceOf(phone.accessToken);
    expect((devices.body.devices as { id: string }[]).some((d) => d.id === deviceId)).toBe(true);
    expect((await call(a.url, 'POST', `/api/admin/devices/${deviceId}/revoke`, admin.accessToken)).status).toBe(200);
    expect(await within(onB.closed, 'close on B after the revocation')).toEqual({ code: CloseCode.unauthorized, reason: 'device-revoked' });
    expect(await within(connect(b.url, room, phone.accessToken).outcome, 'answer to the revoked device')).toMatchObject({ code: CloseCode.unauthorized });
    // The user's other device is left alone (closed sockets would say so before the round trip).
    expect(otherOnB.socket.readyState).toBe(otherOnB.socket.OPEN);
  });

  it('[CL10] sign-out on server A closes that device\'s socket on server B with 4401 device-revoked', async () => {
    const [a, b] = await pair();
    const phone = await login(a.url, 'veldwerker');
    const onB = connect(b.url, newRoom(), phone.accessToken);
    expect(await onB.outcome).toBe('joined');
    const out = await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: phone.refreshToken }) });
    expect(out.status).toBe(204);
    expect(await within(onB.closed, 'close on B after the sign-out')).toEqual({ code: CloseCode.unauthorized, reason: 'device-revoked' });
  });

  it('[CL10] a concept discarded through server A has its socket on server B closed with 4403 document-discarded', async () => {
    const [a, b] = await pair();
    const phone = await login(a.url, 'veldwerker');
    const id = randomUUID();
    const onB = connect(b.url, `doc:${id}`, phone.accessToken);
    expect(await onB.outcome).toBe('joined');
    // The row is made when B takes the room; a discard that reaches A before it commits has
    // nothing to discard yet (E-rules), so wait for the row as a device's queue would.
    await within(untilRow(id), 'the document row on the shared store');
    expect((await act(a.url, phone.accessToken, id, 'discard')).status).toBe(202);
    expect(await within(onB.closed, 'close on B after the discard')).toEqual({ code: CloseCode.forbidden, reason: CloseReason.documentDiscarded });
  });

  it('[CL10] a user moved to another team through server A: 4401 team-changed on server B, then 4403 for the old team\'s rooms there', async () => {
    const [a, b] = await pair();
    const admin = await login(a.url, 'beheerder');
    const created = await call(a.url, 'POST', '/api/admin/users', admin.accessToken, { username: `collega-${randomUUID().slice(0, 8)}`, name: 'Collega', teamId: 'centrum', roles: ['field'], password: 'een-lang-wachtwoord' });
    expect(created.status).toBe(201);
    const user = await login(b.url, String(created.body.username), 'een-lang-wachtwoord');
    const onB = connect(b.url, 'index:team:centrum', user.accessToken);
    expect(await onB.outcome).toBe('joined');
    const team = await call(a.url, 'POST', '/api/admin/teams', admin.accessToken, { name: `Wijkteam ${randomUUID().slice(0, 6)}` });
    await call(a.url, 'PATCH', `/api/admin/users/${String(created.body.id)}`, admin.accessToken, { teamId: String(team.body.id) });
    expect(await within(onB.closed, 'close on B after the team change')).toEqual({ code: CloseCode.unauthorized, reason: 'team-changed' });
    expect(await within(connect(b.url, 'index:team:centrum', user.accessToken).outcome, 'answer to the old team\'s room')).toEqual({ code: CloseCode.forbidden, reason: CloseReason.noAccess });
  });
});

describe('the counters on Redis', () => {
  const noError = (error: unknown): void => {
    throw error instanceof Error ? error : new Error(String(error));
  };

  it('[CL11] the Redis sign-in limiter answers as the in-memory one: same refusals, same Retry-After, same window, same reset on success', async () => {
    let t = 1_000_000;
    const now = (): number => t;
    const limits = { pairMaxFailures: 3, accountMaxFailures: 5, addressMaxFailures: 8, windowMs: 60_000 };
    const local = createLoginRateLimiter({ now, limits });
    const shared = createRedisLoginLimiter({ redis: inspect, now, limits, prefix: `kt:test:${randomUUID()}:`, onError: noError });
    const who = (user: string, address: string): AttemptKeys => ({ username: user, address, proofId: null });
    const script: (AttemptKeys | 'succeed' | number)[] = [
      who('a', 'ip1'), who('a', 'ip1'), who('a', 'ip1'), who('a', 'ip1'), // the fourth is refused
      10_000, who('a', 'ip2'), who('a', 'ip2'), 'succeed', who('a', 'ip2'), who('a', 'ip3'), // the account's limit
      55_000, who('a', 'ip1'), who('a', 'ip4'), 6_000, who('a', 'ip1'), who('b', 'ip1'),
    ];
    const run = async (limiter: LoginRateLimiter): Promise<unknown[]> => {
      t = 1_000_000;
      const answers: unknown[] = [];
      let last: Awaited<ReturnType<LoginRateLimiter['begin']>> | null = null;
      for (const step of script) {
        if (typeof step === 'number') t += step;
        else if (step === 'succeed') {
          if (last?.ok === true) await limiter.succeeded(last.attempt);
        } else {
          last = await limiter.begin(step);
          answers.push(last.ok ? 'ok' : last.retryAfterSeconds);
        }
      }
      return answers;
    };
    const expected = await run(local);
    expect(expected).toContain(50); // the script does reach a refusal
    expect(await run(shared)).toEqual(expected);
  });

  it('[CL14] the sockets of a process that died stop counting once their lease runs out, and no sooner', async () => {
    let t = 5_000_000;
    const now = (): number => t;
    const limits = { ...defaultTrafficLimits, socketsPerUser: 1 };
    const prefix = `kt:test:${randomUUID()}:`;
    const quotaOf = (): ReturnType<typeof createRedisAdmissionQuota> =>
      createRedisAdmissionQuota({ redis: inspect, limits, ledger: new UsageLedger(limits, now), now, onError: noError, leaseMs: 60_000, prefix });
    const dead = quotaOf();
    const alive = quotaOf();
    const holder = { userId: 'u1', deviceId: 'd1' };
    expect((await dead.admit(holder, 'doc:1')).ok).toBe(true);
    dead.close(); // it renews no more, as a killed process
    expect(await alive.admit(holder, 'doc:2')).toEqual({ ok: false, reason: LimitReason.socketsPerUser });
    t += 60_001;
    const taken = await alive.admit(holder, 'doc:2');
    expect(taken.ok).toBe(true);
    alive.close();
  });
});

/** Admissions in a quota set whose lease has not run out. */
function liveAdmissions(key: string): Promise<number> {
  return inspect.zcount(key, Date.now(), '+inf');
}

/** Polls `check` until it holds, with a deadline (a release reaches Redis after the close event). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The device id an access token speaks for (its `dev` claim). */
function deviceOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { dev: string };
  return payload.dev;
}

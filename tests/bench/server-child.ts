// Child-process entry for our server in the benchmark: `startServer` exactly as `npm start`
// wires it (SQLite in the folder the parent made), plus an IPC channel through which the
// parent asks for memory figures after a forced GC. Running the server in its own process
// keeps the benchmark's 100–1,000 clients off its event loop and its memory figures, the same
// way the peer server runs. Started by tests/bench/ours.ts with
// `node --expose-gc --import tsx tests/bench/server-child.ts` and KT_BENCH_SERVER (JSON).
import { randomUUID } from 'node:crypto';
import { startServer } from '../../server/app';
import { DEMO_TEAM } from '../../server/auth/demo-seed';
import { hashPassword } from '../../server/auth/passwords';
import type { TrafficLimits } from '../../server/limits/settings';
import { isChildRequest, measureSelf, sendToParent, startLoopMonitor } from './ipc';

interface ServerChildConfig {
  dataDir: string;
  demoPassword: string;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  idleMs: number;
  /** Accounts the soak signs in with (tests/bench/soak.ts), created before `ready`. */
  soakUsers?: { usernames: string[]; password: string; scrypt: { N: number; r: number; p: number } };
  /** Overrides of the sync limits (the scenarios that play many devices on one account). */
  trafficLimits?: Partial<TrafficLimits>;
  /** The scale section (tests/bench/scale.ts): PostgreSQL instead of SQLite, Redis between processes. */
  databaseUrl?: string;
  databasePoolMax?: number;
  redisUrl?: string;
}

const config = JSON.parse(process.env.KT_BENCH_SERVER ?? '{}') as ServerChildConfig;

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  dataDir: config.dataDir,
  demoPassword: config.demoPassword,
  sqliteSynchronous: config.sqliteSynchronous,
  idleMs: config.idleMs,
  ...(config.trafficLimits === undefined ? {} : { trafficLimits: config.trafficLimits }),
  ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
  ...(config.databasePoolMax === undefined ? {} : { databasePoolMax: config.databasePoolMax }),
  ...(config.redisUrl === undefined ? {} : { redisUrl: config.redisUrl }),
  logLevel: 'error',
  staticDir: null,
});

if (config.soakUsers !== undefined) {
  const passwordHash = await hashPassword(config.soakUsers.password, config.soakUsers.scrypt);
  for (const username of config.soakUsers.usernames) {
    if ((await server.store.findUserByUsername(username)) !== null) continue;
    await server.store.createUser({ id: randomUUID(), username, name: username, teamId: DEMO_TEAM.id, roles: ['field'], passwordHash, disabled: false });
  }
}

// The parent is gone (crashed or killed): do not linger.
process.on('disconnect', () => process.exit(0));

const readLag = startLoopMonitor();

process.on('message', (message: unknown) => {
  if (!isChildRequest(message)) return;
  if (message.op === 'lag') {
    sendToParent({ op: 'lag', id: message.id, lag: readLag() });
    return;
  }
  if (message.op === 'memory' || message.op === 'counts') {
    sendToParent({
      op: 'memory',
      id: message.id,
      memory: measureSelf(server.rooms.loadedCount, server.sync.openSockets, message.op === 'memory'),
    });
    return;
  }
  server.close().then(
    () => {
      sendToParent({ op: 'closed', id: message.id });
      process.exit(0);
    },
    (error: unknown) => {
      sendToParent({ op: 'error', id: message.id, message: String(error) });
      process.exit(1);
    },
  );
});

sendToParent({ op: 'ready', port: server.port });

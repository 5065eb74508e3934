// Our server as a benchmark target: tests/bench/server-child.ts in a child process on a fresh
// SQLite file in a temp folder (synchronous FULL or NORMAL), one demo login whose access token
// every client uses, and clients that are the test suite's AckingClient (a stock y-websocket
// WebsocketProvider that records persisted-acks). These figures play hundreds of devices with one
// account, so the per-user and per-device quotas (L7, L8) are lifted here; the soak
// (tests/bench/soak.ts) runs under the defaults.
import { fileURLToPath } from 'node:url';
import type * as Y from 'yjs';
import { MessageType } from '../../shared/protocol/messages';
import { AckingClient, DEMO_PASSWORD, login } from '../support/server';
import { spawnServerChild, targetOf, tempDir, type BenchClient, type Target } from './target';

export interface OursOptions {
  synchronous: 'FULL' | 'NORMAL';
  /** How long an unused room stays loaded (the server's default is 30 s). */
  idleMs?: number;
}

const LIFTED = 1_000_000;
export const ONE_ACCOUNT_MANY_DEVICES = {
  socketsPerUser: LIFTED,
  socketsPerDevice: LIFTED,
  roomsPerUser: LIFTED,
  roomsPerDevice: LIFTED,
  newDocumentsPerHourUser: LIFTED,
  newDocumentsPerHourDevice: LIFTED,
};

const SCRIPT = fileURLToPath(new URL('./server-child.ts', import.meta.url));

export async function startOurs(options: OursOptions): Promise<Target> {
  const dir = tempDir('kt-bench-');
  const child = spawnServerChild(SCRIPT, {
    KT_BENCH_SERVER: JSON.stringify({
      dataDir: dir.path,
      demoPassword: DEMO_PASSWORD,
      sqliteSynchronous: options.synchronous,
      idleMs: options.idleMs ?? 30_000,
      trafficLimits: ONE_ACCOUNT_MANY_DEVICES,
    }),
  });
  return targetOf(child, dir, async () => {
    const port = await child.ready;
    const url = `http://127.0.0.1:${port}`;
    const { accessToken } = await login(url, 'veldwerker');
    return {
      label: `ours ${options.synchronous}`,
      kind: 'ours',
      connect: (room, doc) => oursClient(new AckingClient(url, room, accessToken, doc)),
    };
  });
}

export function oursClient(client: AckingClient): BenchClient {
  const listeners = new Set<(durable: Y.Snapshot) => void>();
  // Counts every lost connection, also those y-websocket closes itself (no message for 30 s),
  // which AckingClient's `closes` (server close frames only) does not see.
  let disconnects = 0;
  client.provider.on('status', ({ status }) => {
    if (status === 'disconnected') disconnects += 1;
  });
  // AckingClient installed its own handler for type 100; run it first, then tell listeners.
  const recordAck = client.provider.messageHandlers[MessageType.persisted];
  client.provider.messageHandlers[MessageType.persisted] = (encoder, decoder, provider, emitSynced, type) => {
    recordAck?.(encoder, decoder, provider, emitSynced, type);
    const durable = client.durable;
    if (durable !== null) for (const listener of [...listeners]) listener(durable);
  };
  return {
    doc: client.doc,
    provider: client.provider,
    get durable() {
      return client.durable;
    },
    get saved() {
      return client.saved;
    },
    onAck(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get closes() {
      return disconnects;
    },
    destroy: () => client.destroy(),
  };
}

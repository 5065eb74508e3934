// The peer as a benchmark target: stock @y/websocket-server 0.1.1 (tests/bench/peer-child.ts
// runs its unmodified server.js) with LevelDB persistence through y-leveldb in a temp folder,
// and clients configured exactly like ours (stock y-websocket WebsocketProvider over `ws`,
// no BroadcastChannel, same reconnect backoff) minus the ack handler: the peer sends no ack.
//
// What the peer's persistence promises, read from its utils.js: every update is handed to
// `ldb.storeUpdate` without awaiting it, and LevelDB writes without fsync by default. So the
// peer never knows (and cannot tell a client) when an edit is on disk; "a second client sees
// it" is the only externally observable event, and it happens before or regardless of storage.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { freePort } from '../support/child-server';
import { spawnServerChild, targetOf, tempDir, waitHttpOk, type BenchClient, type Target } from './target';

const SCRIPT = fileURLToPath(new URL('./peer-child.ts', import.meta.url));

export async function startPeer(): Promise<Target> {
  const dir = tempDir('kt-bench-peer-');
  const port = await freePort();
  const child = spawnServerChild(SCRIPT, {
    HOST: '127.0.0.1',
    PORT: String(port),
    YPERSISTENCE: join(dir.path, 'leveldb'),
  });
  return targetOf(child, dir, async () => {
    await child.ready;
    // server.js answers any plain HTTP request with "okay" once it listens.
    await waitHttpOk(`http://127.0.0.1:${port}/`, 30_000);
    const wsBase = `ws://127.0.0.1:${port}`;
    return { label: 'peer LevelDB', kind: 'peer', connect: (room, doc) => peerClient(wsBase, room, doc ?? new Y.Doc()) };
  });
}

function peerClient(wsBase: string, room: string, doc: Y.Doc): BenchClient {
  const provider = new WebsocketProvider(wsBase, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  let closes = 0;
  // Every lost connection, including those y-websocket closes itself (no message for 30 s).
  provider.on('status', ({ status }) => {
    if (status === 'disconnected') closes += 1;
  });
  return {
    doc,
    provider,
    durable: null,
    saved: false,
    onAck: () => () => undefined,
    get closes() {
      return closes;
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

// Child-process entry for the peer server: the unmodified `src/server.js` of
// @y/websocket-server 0.1.1, imported from node_modules as is. It reads HOST, PORT and
// YPERSISTENCE (LevelDB folder, via y-leveldb) from the environment when its `utils.js` is
// loaded, so the parent sets them at spawn. The only addition is the same IPC memory probe
// our server child has; `docs` comes from the very `utils.js` module instance server.js uses
// (same file, same URL), so room and socket counts are the peer's own.
// Started by tests/bench/peer.ts with `node --expose-gc --import tsx tests/bench/peer-child.ts`
// (the same loader as our child, so both processes carry the same baseline).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { docs } from '@y/websocket-server/utils';
import { isChildRequest, measureSelf, sendToParent, startLoopMonitor } from './ipc';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@y/websocket-server/package.json'));
// server.js is not in the package's exports map; load the file itself.
await import(pathToFileURL(join(packageDir, 'src', 'server.js')).href);

process.on('disconnect', () => process.exit(0));

const readLag = startLoopMonitor();

process.on('message', (message: unknown) => {
  if (!isChildRequest(message)) return;
  if (message.op === 'lag') {
    sendToParent({ op: 'lag', id: message.id, lag: readLag() });
    return;
  }
  if (message.op === 'memory' || message.op === 'counts') {
    let sockets = 0;
    for (const doc of docs.values()) sockets += doc.conns.size;
    sendToParent({ op: 'memory', id: message.id, memory: measureSelf(docs.size, sockets, message.op === 'memory') });
    return;
  }
  sendToParent({ op: 'closed', id: message.id });
  process.exit(0);
});

// server.js listens asynchronously and only logs; the parent polls the port for readiness.
sendToParent({ op: 'ready', port: Number.parseInt(process.env.PORT ?? '0', 10) });

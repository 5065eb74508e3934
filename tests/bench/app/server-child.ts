// Child-process entry for the app benchmark's server: `startServer` exactly as `npm start` wires
// it, serving the freshly built client (staticDir) and the API on 127.0.0.1, with SQLite in a
// folder the parent made, so the server can be stopped and started again on the same port (the
// same origin, so the browser's service worker and IndexedDB still apply) without losing the
// demo accounts, the device's sign-in or its documents. Its own process keeps Lighthouse's and
// Playwright's work in the parent off the server's event loop. Started by tests/bench/app/server.ts
// through `spawnServerChild` (node --import tsx) with KT_BENCH_APP_SERVER (JSON); speaks the
// `ready` / `close` part of tests/bench/ipc.ts.
import { startServer } from '../../../server/app';
import { isChildRequest, sendToParent } from '../ipc';

interface AppServerChildConfig {
  port: number;
  dataDir: string;
  staticDir: string;
  demoPassword: string;
}

const config = JSON.parse(process.env.KT_BENCH_APP_SERVER ?? '{}') as AppServerChildConfig;

const server = await startServer({
  port: config.port,
  host: '127.0.0.1',
  dataDir: config.dataDir,
  staticDir: config.staticDir,
  demoPassword: config.demoPassword,
  logLevel: 'error',
});

// The parent is gone (crashed or killed): do not linger.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: unknown) => {
  if (!isChildRequest(message)) return;
  if (message.op !== 'close') {
    sendToParent({ op: 'error', id: message.id, message: `${message.op} is not supported here` });
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

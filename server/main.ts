// `npm start`: reads the outside contract's environment variables, starts the server, and
// shuts down cleanly on SIGTERM/SIGINT (commit pending updates, close sockets with 4503).
import { resolve } from 'node:path';
import { startServer } from './app';

const port = Number.parseInt(process.env.PORT ?? '8080', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}
const dataDir = resolve(process.env.DATA_DIR ?? './data');

const server = await startServer({
  port,
  dataDir,
  demoPassword: process.env.KEUKENTAFEL_DEMO_PASSWORD || undefined,
  trustProxy: process.env.TRUST_PROXY || false,
  logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'info',
});
server.app.log.info(`Keukentafel draait op http://localhost:${server.port} (gegevens in ${dataDir})`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.app.log.info(`${signal}: committing and closing`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

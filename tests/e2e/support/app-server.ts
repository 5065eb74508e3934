// The real server in-process for e2e: the built app (E2E_DIST) and the API on a free port, with
// the demo accounts' password known to the tests. Each test file gets its own server and origin,
// so service workers and IndexedDB never leak from one file into another.
import { startServer, type RunningServer, type ServerOptions } from '../../../server/app';
import { E2E_DIST } from './paths';

export const DEMO_PASSWORD = 'e2e-wachtwoord-123';

export async function startAppServer(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: null,
    staticDir: E2E_DIST,
    demoPassword: DEMO_PASSWORD,
    logLevel: 'silent',
    ...options,
  });
}

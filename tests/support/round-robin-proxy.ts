// A round-robin TCP load balancer for tests with several server processes: each new connection
// goes to the next live backend, as nginx's upstream with a health check would send it. A backend
// marked down gets no new connections; one that refuses anyway is skipped for the next one.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface RoundRobinProxy {
  readonly port: number;
  setAlive(backendPort: number, alive: boolean): void;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backendPorts: readonly number[]): Promise<RoundRobinProxy> {
  const alive = new Map<number, boolean>(backendPorts.map((p) => [p, true]));
  const open = new Set<Socket>();
  let next = 0;
  const track = (s: Socket): void => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => undefined);
  };
  const pick = (skip: ReadonlySet<number>): number | undefined => {
    for (let i = 0; i < backendPorts.length; i++) {
      const port = backendPorts[(next + i) % backendPorts.length];
      if (port !== undefined && alive.get(port) === true && !skip.has(port)) {
        next = (next + i + 1) % backendPorts.length;
        return port;
      }
    }
    return undefined;
  };
  const server: Server = createServer((client) => {
    track(client);
    client.pause();
    const tried = new Set<number>();
    const attempt = (): void => {
      const port = pick(tried);
      if (port === undefined) {
        client.destroy();
        return;
      }
      tried.add(port);
      const upstream = connect(port, '127.0.0.1');
      track(upstream);
      const refused = (): void => attempt();
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    };
    attempt();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    setAlive(backendPort, isAlive) {
      alive.set(backendPort, isAlive);
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

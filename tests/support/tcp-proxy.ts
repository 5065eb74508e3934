// A TCP proxy for tests: stands for the load balancer in front of several server processes (a
// client reconnects through it to another one) and for a network between a process and Redis
// that can be cut (`down`) and healed (`up`), or that carries nothing back (`mute`).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Where new connections go from now on; open ones stay where they are. */
  retarget(port: number): void;
  /** Cuts every open connection and refuses new ones until `up`. */
  down(): void;
  up(): void;
  /** Connections made from now on carry nothing back from the target (its answers never arrive). */
  mute(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let target = targetPort;
  let isDown = false;
  let muted = false;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    if (!muted) upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    retarget(next) {
      target = next;
    },
    down() {
      isDown = true;
      for (const s of open) s.destroy();
    },
    up() {
      isDown = false;
    },
    mute() {
      muted = true;
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

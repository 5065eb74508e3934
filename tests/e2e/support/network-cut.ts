// A TCP proxy in front of the test server that can cut the network for real. Chromium's offline
// emulation (`context.setOffline`) blocks HTTP but leaves WebSockets alone, so a device "offline"
// would still sync; cutting here closes every open socket and refuses new ones, like a phone
// losing its mobile data. `setNetwork` does both: the cut and the browser's offline state.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { BrowserContext } from 'playwright-core';

export class NetworkCut {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private cut = false;
  /** Y1: the silent way: connections stay open and new ones are taken, but no byte gets through. */
  private silent = false;
  private port = 0;

  private constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<NetworkCut> {
    const proxy = new NetworkCut(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    proxy.port = typeof address === 'object' && address !== null ? address.port : 0;
    return proxy;
  }

  /** The origin devices behind this proxy use. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get offline(): boolean {
    return this.cut;
  }

  setOffline(offline: boolean): void {
    this.cut = offline;
    if (offline) for (const socket of [...this.sockets]) socket.destroy();
  }

  /**
   * Y1: packets vanish (a dead VPN, a mobile network that stalls): requests hang instead of
   * failing and open sockets notice nothing. Ending it drops every connection held meanwhile,
   * as a real network coming back would (the NAT forgot them).
   */
  setSilent(silent: boolean): void {
    if (this.silent && !silent) for (const socket of [...this.sockets]) socket.destroy();
    this.silent = silent;
  }

  async close(): Promise<void> {
    this.setOffline(true);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.cut) {
      client.destroy();
      return;
    }
    if (this.silent) {
      // Taken, never answered.
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      client.resume();
      return;
    }
    const upstream = createConnection(this.target);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    // Forwarded by hand, so that the silent mode can drop bytes in both directions.
    client.on('data', (chunk: Buffer) => {
      if (!this.silent) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!this.silent) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}

/** Cuts or restores the device's network: the proxy's sockets and the browser's offline state. */
export async function setNetwork(context: BrowserContext, cut: NetworkCut, online: boolean): Promise<void> {
  cut.setOffline(!online);
  await context.setOffline(!online);
}

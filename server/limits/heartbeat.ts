// WebSocket ping/pong (L9): every socket is pinged every `pingIntervalMs`; one from which
// nothing (no pong, no message) has come for `pongTimeoutMs` is a half-open connection (a phone
// that lost the network) and is terminated, so its room and quotas are freed.

/** The part of a `ws` WebSocket the heartbeat uses. */
export interface LiveSocket {
  readonly readyState: number;
  ping(): void;
  terminate(): void;
  on(event: 'pong' | 'message' | 'close', listener: () => void): unknown;
}

export interface Heartbeat {
  watch(socket: LiveSocket): void;
  stop(): void;
}

const OPEN = 1;

export function startHeartbeat(
  timing: { pingIntervalMs: number; pongTimeoutMs: number },
  onDead: () => void,
): Heartbeat {
  const lastSeen = new Map<LiveSocket, number>();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [socket, seen] of lastSeen) {
      if (now - seen > timing.pongTimeoutMs) {
        lastSeen.delete(socket);
        onDead();
        socket.terminate();
      } else if (socket.readyState === OPEN) {
        socket.ping();
      }
    }
  }, timing.pingIntervalMs);
  timer.unref();
  return {
    watch(socket) {
      lastSeen.set(socket, Date.now());
      const alive = (): void => {
        if (lastSeen.has(socket)) lastSeen.set(socket, Date.now());
      };
      socket.on('pong', alive);
      socket.on('message', alive);
      socket.on('close', () => lastSeen.delete(socket));
    },
    stop() {
      clearInterval(timer);
      lastSeen.clear();
    },
  };
}

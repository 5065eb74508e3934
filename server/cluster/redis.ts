// The one way this server opens a Redis connection (REDIS_URL), so every part that shares state
// across processes (room relay, revocation bus, shared limits) fails the same way: commands
// never wait in an offline queue, they fail at once or after a short timeout and the caller
// decides what a failure means (CL19). Subscriber connections keep their queue, because a
// subscription may be made before the connection is up, and have no command timeout; their owner
// subscribes again after each reconnect.
import { Redis } from 'ioredis';

export interface ConnectRedisOptions {
  /** Pub/sub only: (un)subscribe may wait for the connection. Not re-sent after a reconnect: the
   * owner subscribes again on every `ready`. */
  subscriber?: boolean;
  /** Connection errors (refused, reset); ioredis keeps reconnecting after each. */
  onError?: (error: unknown) => void;
  /** How long a command may take before it fails (ms). */
  commandTimeoutMs?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;

export function connectRedis(url: string, options: ConnectRedisOptions = {}): Redis {
  const redis = options.subscriber === true
    ? new Redis(url, {
        maxRetriesPerRequest: null,
        lazyConnect: false,
        retryStrategy,
        // The ready check (INFO) and the client-info handshake (CLIENT SETINFO) are refused once
        // the connection is in subscriber mode: a channel subscribed during the handshake (a room
        // opened just then) failed the check, and ioredis dropped and remade the connection, so a
        // revocation published meanwhile was never heard (ioredis#2037). A subscriber does not
        // need either: with no ready check, `ready` follows `connect`.
        enableReadyCheck: false,
        disableClientInfo: true,
        // ioredis's own re-subscription after a reconnect is a promise nobody can catch: a
        // connection closed before Redis answered it (a stop just after a Redis blip) ended in an
        // unhandled rejection. Each owner subscribes again on `ready` itself, with a catch.
        autoResubscribe: false,
      })
    : new Redis(url, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
        retryStrategy,
      });
  // Without a listener ioredis prints every failed reconnect; the caller's log is the place.
  redis.on('error', (error: unknown) => options.onError?.(error));
  return redis;
}

/** Resolves once `redis` is ready, or after `timeoutMs` (a start does not wait on Redis forever). */
export function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    timer.unref();
    redis.once('ready', onReady);
  });
}

/** Reconnect soon after a blip, then every two seconds at most. */
function retryStrategy(attempt: number): number {
  return Math.min(attempt * 100, 2_000);
}

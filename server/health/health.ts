// Honest health (G7) and readiness (G8). Health is 503 with a reason when the last commit to the
// store failed or a folder the server writes to (SQLite's DATA_DIR, the filesystem DMS's drop
// folder) has less free space than the setting; readiness is 200
// only between "listening and started" and "stopping". The store is watched through a thin wrapper.
import { statfs } from 'node:fs/promises';
import type { Store } from '../store/types';
import { FrozenRoomsError } from '../store/frozen-content';
import type { HealthBody, HealthReason, ReadyBody } from '../../shared/protocol/health';

export type Phase = 'starting' | 'ready' | 'stopping';

export const DEFAULT_DISK_MIN_FREE_BYTES = 256 * 1024 * 1024;

export interface HealthOptions {
  /**
   * The folders whose file systems must keep room: the ones this server writes to (see
   * `diskWatchedDirs`). Empty (memory store, PostgreSQL with the ZGW DMS) skips the check.
   */
  dirs: readonly string[];
  minFreeBytes?: number;
  /** Free bytes for an unprivileged writer; fs.statfs by default (tests may pass their own). */
  freeBytes?: (dir: string) => Promise<number>;
  ping: () => Promise<boolean>;
}

export interface Health {
  readonly phase: Phase;
  setPhase(phase: Phase): void;
  /** Wraps the store so every commit's outcome is remembered (the newest one counts). */
  watch<S extends Store>(store: S): S;
  check(): Promise<{ status: 200 | 503; body: HealthBody }>;
  ready(): { status: 200 | 503; body: ReadyBody };
}

const defaultFreeBytes = async (dir: string): Promise<number> => {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
};

/** Store methods that write: their last outcome is the health's "last commit". */
const isCommit = (name: string): boolean => name === 'appendUpdates' || name.startsWith('commit');

/**
 * G7: the folders health measures. SQLite's data dir only when SQLite is the store (on PostgreSQL
 * nothing is written there, and nothing creates it); the filesystem DMS's drop folder when that
 * is the DMS (it is created at start). Never a folder the server does not write to: a folder it
 * cannot measure would read as full for ever.
 */
export function diskWatchedDirs(options: {
  dataDir: string | null;
  databaseUrl?: string | null | undefined;
  /** The filesystem DMS's drop folder, or null when another DMS is used. */
  dmsDir: string | null;
}): string[] {
  const dirs: string[] = [];
  if (!options.databaseUrl && options.dataDir !== null) dirs.push(options.dataDir);
  if (options.dmsDir !== null && !dirs.includes(options.dmsDir)) dirs.push(options.dmsDir);
  return dirs;
}

export function createHealth(options: HealthOptions): Health {
  const minFree = options.minFreeBytes ?? DEFAULT_DISK_MIN_FREE_BYTES;
  const freeBytes = options.freeBytes ?? defaultFreeBytes;
  let phase: Phase = 'starting';
  let lastCommitFailed = false;

  const unavailable = (reason: HealthReason): { status: 503; body: HealthBody } => ({ status: 503, body: { status: 'unavailable', reason } });

  return {
    get phase() {
      return phase;
    },
    setPhase(next) {
      phase = next;
    },
    watch(store) {
      return new Proxy(store, {
        get(target, prop) {
          const value: unknown = Reflect.get(target, prop, target);
          if (typeof value !== 'function') return value;
          const fn = value as (...args: unknown[]) => unknown;
          if (typeof prop !== 'string' || !isCommit(prop)) return fn.bind(target);
          return async (...args: unknown[]) => {
            try {
              const result = await fn.apply(target, args);
              lastCommitFailed = false;
              return result;
            } catch (error) {
              // CL26: a frozen document refusing an edit is the store answering, not failing.
              lastCommitFailed = !(error instanceof FrozenRoomsError);
              throw error;
            }
          };
        },
      });
    },
    async check() {
      if (phase === 'stopping') return unavailable('stopping');
      if (lastCommitFailed) return unavailable('commit-failed');
      if (!(await options.ping().catch(() => false))) return unavailable('database-unavailable');
      for (const dir of options.dirs) {
        // A folder that cannot be measured (removed under the running server) cannot be written either.
        const free = await freeBytes(dir).catch(() => 0);
        if (free < minFree) return unavailable('disk-nearly-full');
      }
      return { status: 200, body: { status: 'ok' } };
    },
    ready() {
      return phase === 'ready' ? { status: 200, body: { status: 'ready' } } : { status: 503, body: { status: phase } };
    },
  };
}

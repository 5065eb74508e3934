// Honest health (G7) and readiness (G8). Health is 503 with a reason when the last commit to the
// store failed or the disk under DATA_DIR has less free space than the setting; readiness is 200
// only between "listening and started" and "stopping". The store is watched through a thin wrapper.
import { statfs } from 'node:fs/promises';
import type { Store } from '../store/types';
import { FrozenRoomsError } from '../store/frozen-content';
import type { HealthBody, HealthReason, ReadyBody } from '../../shared/protocol/health';

export type Phase = 'starting' | 'ready' | 'stopping';

export const DEFAULT_DISK_MIN_FREE_BYTES = 256 * 1024 * 1024;

export interface HealthOptions {
  /** The folder whose file system must keep room (DATA_DIR); null (memory store) skips the check. */
  dataDir: string | null;
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
      if (options.dataDir !== null) {
        const free = await freeBytes(options.dataDir).catch(() => 0);
        if (free < minFree) return unavailable('disk-nearly-full');
      }
      return { status: 200, body: { status: 'ok' } };
    },
    ready() {
      return phase === 'ready' ? { status: 200, body: { status: 'ready' } } : { status: 503, body: { status: phase } };
    },
  };
}

// The servers of the scale section (tests/bench/scale.ts, issue 15): one or more server children
// (tests/bench/server-child.ts) on SQLite, or on one PostgreSQL database with Redis between them
// when there are several. The result is a bench Target whose clients are spread over the processes
// round-robin by connection order (no balancer in between: the client picks the port), and which
// can also place a client on a chosen process (`connectAt`). Every process lifts the per-account
// quotas and the connect rate (L7, L8, L10): the bench plays hundreds to thousands of devices with
// one demo account, which those limits exist to stop.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Y from 'yjs';
import { AckingClient, DEMO_PASSWORD, login, type Session } from '../support/server';
import { ONE_ACCOUNT_MANY_DEVICES, oursClient } from './ours';
import { cpuMsOf, loopLagOf, memoryOf, spawnServerChild, tempDir, type BenchClient, type ServerChild, type Target } from './target';

const SCRIPT = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const LIFTED = 1_000_000;

export interface ScaleSetupOptions {
  label: string;
  processes: number;
  /** postgres://… ; absent: SQLite (FULL) in each process's temp folder. */
  databaseUrl?: string;
  redisUrl?: string;
  /** How long an unused room stays loaded (server default 30 s). */
  idleMs?: number;
  /** Open files each process needs (sockets); the soft limit is raised to it when lower. */
  openFiles?: number;
}

export interface ScaleTarget extends Target {
  readonly ports: readonly number[];
  readonly session: Session;
  /** A client on process `index % processes`. */
  connectAt(room: string, index: number, doc?: Y.Doc): BenchClient;
  /** Open WebSocket connections per process right now (no GC). */
  sockets(): Promise<number[]>;
}

/** The soft "Max open files" of a process, from /proc (null when unreadable). */
export function openFilesLimit(pid: number | 'self'): number | null {
  try {
    const match = /^Max open files\s+(\d+)\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/**
 * Raises the soft open-files limit of `pid` to `wanted` with util-linux's prlimit (up to the hard
 * limit, which only root may raise); returns the limit it has afterwards.
 */
export function raiseOpenFiles(pid: number, wanted: number): number | null {
  const now = openFilesLimit(pid);
  if (now !== null && now >= wanted) return now;
  try {
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${wanted}:${wanted}`], { stdio: 'ignore' });
  } catch {
    // not allowed or no prlimit: the caller reports the limit it got
  }
  return openFilesLimit(pid);
}

export async function startScaleSetup(options: ScaleSetupOptions): Promise<ScaleTarget> {
  const dirs: { remove(): void }[] = [];
  const children: ServerChild[] = [];
  const spawnOne = async (): Promise<number> => {
    const dir = tempDir('kt-bench-scale-');
    dirs.push(dir);
    const child = spawnServerChild(SCRIPT, {
      KT_BENCH_SERVER: JSON.stringify({
        dataDir: dir.path,
        demoPassword: DEMO_PASSWORD,
        sqliteSynchronous: 'FULL',
        idleMs: options.idleMs ?? 30_000,
        trafficLimits: { ...ONE_ACCOUNT_MANY_DEVICES, connectBurst: LIFTED, connectPerSecond: LIFTED },
        ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
        ...(options.redisUrl === undefined ? {} : { redisUrl: options.redisUrl }),
      }),
    });
    children.push(child);
    if (options.openFiles !== undefined) raiseOpenFiles(child.pid, options.openFiles);
    return child.ready;
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(children.map((c) => c.stop().catch(() => undefined)));
    for (const dir of dirs) dir.remove();
  };
  try {
    // The first start seeds the demo accounts alone: parallel first starts on one empty database
    // race in the demo seed (see tests/integration/cluster-processes.test.ts).
    const first = await spawnOne();
    const rest = await Promise.all(Array.from({ length: options.processes - 1 }, () => spawnOne()));
    const ports = [first, ...rest];
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const session = await login(urls[0] ?? '', 'veldwerker');
    let next = 0;
    const connectAt = (room: string, index: number, doc?: Y.Doc): BenchClient =>
      oursClient(new AckingClient(urls[index % urls.length] ?? '', room, session.accessToken, doc));
    return {
      label: options.label,
      kind: 'ours',
      pid: children[0]?.pid ?? 0,
      ports,
      session,
      connectAt,
      connect: (room, doc) => connectAt(room, next++, doc),
      memory: () => memoryOf(only(children)),
      counts: () => memoryOf(only(children), 'counts'),
      async loopLag() {
        const lags = await Promise.all(children.map((c) => loopLagOf(c)));
        return { p99Ms: Math.max(...lags.map((l) => l.p99Ms)), maxMs: Math.max(...lags.map((l) => l.maxMs)) };
      },
      cpuMs() {
        const each = children.map((c) => cpuMsOf(c.pid));
        return each.some((c) => c === null) ? null : each.reduce<number>((sum, c) => sum + (c ?? 0), 0);
      },
      async sockets() {
        return Promise.all(children.map(async (c) => (await memoryOf(c, 'counts')).sockets));
      },
      output: () => children.map((c) => c.output()).join('\n'),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Memory readings make sense for one process; the first one of a set is the one asked. */
function only(children: readonly ServerChild[]): ServerChild {
  const first = children[0];
  if (first === undefined) throw new Error('no server process');
  return first;
}

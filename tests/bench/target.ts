// What every benchmark part talks to: a server under test running in a child process (ours
// in tests/bench/ours.ts, the peer in tests/bench/peer.ts) and the clients it hands out. Also
// the child-process plumbing both share (spawn with IPC, readiness, memory requests, CPU time
// from /proc) and the cleanup registry that kills children and removes temp folders on every
// exit path, including the global time limit and Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { ChildMemory, ChildMessage, ChildRequest, LoopLag } from './ipc';

/** One y-websocket client of the server under test. */
export interface BenchClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Our server's latest persisted-ack; always null for the peer, which sends none. */
  readonly durable: Y.Snapshot | null;
  /** True when the latest ack covers this client's whole local state (ours only). */
  readonly saved: boolean;
  /** Calls `listener` on every persisted-ack (never for the peer); returns the unsubscribe. */
  onAck(listener: (durable: Y.Snapshot) => void): () => void;
  /** Times this client's connection was lost while in use (a reconnect follows). */
  readonly closes: number;
  destroy(): void;
}

export interface MemorySample extends ChildMemory {
  /** VmRSS from /proc/<pid>/status, read by the parent (null off Linux). */
  vmRssBytes: number | null;
}

export interface Target {
  /** e.g. "ours FULL", "peer LevelDB". */
  readonly label: string;
  readonly kind: 'ours' | 'peer';
  readonly pid: number;
  /** A client on `room` holding `doc` (a fresh empty doc when omitted). */
  connect(room: string, doc?: Y.Doc): BenchClient;
  /** Memory after a forced GC in the server process. */
  memory(): Promise<MemorySample>;
  /** Same reading without GC: for polling room counts. */
  counts(): Promise<MemorySample>;
  /** The server's event-loop delay since the previous call (which it resets). */
  loopLag(): Promise<LoopLag>;
  /** User+system CPU time the server process has used so far, in ms (null off Linux). */
  cpuMs(): number | null;
  /** Last lines the child wrote to stdout/stderr, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Cleanup registry

const cleanups = new Set<() => void>();

/** Registers a synchronous cleanup; returns its removal. */
export function onCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every registered cleanup once (kill children, remove temp folders). */
export function cleanupAll(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // best effort: the next cleanup must still run
    }
  }
}

/** A temp folder removed by `cleanupAll` at the latest. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(path, { recursive: true, force: true });
  const unregister = onCleanup(remove);
  return {
    path,
    remove() {
      unregister();
      remove();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface ServerChild {
  process: ChildProcess;
  pid: number;
  ready: Promise<number>;
  request(op: ChildRequest['op'], timeoutMs?: number): Promise<ChildMessage>;
  output(): string;
  /** Asks the child to close, then kills it if it has not exited in time. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Spawns `node --expose-gc --import tsx <script>` with an IPC channel. */
export function spawnServerChild(script: string, env: Record<string, string>): ServerChild {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${script}`);
  const unregister = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  let nextId = 1;
  const pending = new Map<number, (message: ChildMessage) => void>();
  let resolveReady: (port: number) => void = () => undefined;
  let rejectReady: (error: Error) => void = () => undefined;
  const ready = new Promise<number>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const readyTimer = setTimeout(() => rejectReady(new Error(`${script} not ready in 60 s: ${gist(out)}`)), 60_000);
  child.on('message', (message: ChildMessage) => {
    if (message.op === 'ready') {
      clearTimeout(readyTimer);
      resolveReady(message.port);
      return;
    }
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    waiter?.(message);
  });
  child.once('exit', (code, signal) => {
    clearTimeout(readyTimer);
    rejectReady(new Error(`${script} exited (${code ?? signal}): ${gist(out)}`));
    for (const waiter of pending.values()) waiter({ op: 'error', id: -1, message: `child exited (${code ?? signal})` });
    pending.clear();
  });

  const request = (op: ChildRequest['op'], timeoutMs = 30_000): Promise<ChildMessage> =>
    new Promise((resolveRequest, reject) => {
      if (!child.connected) {
        reject(new Error('child not connected'));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`child did not answer ${op} in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, (message) => {
        clearTimeout(timer);
        resolveRequest(message);
      });
      child.send({ id, op } satisfies ChildRequest);
    });

  return {
    process: child,
    pid,
    ready,
    request,
    output: () => out,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) {
        await request('close', timeoutMs).catch(() => undefined);
        const killed = setTimeout(() => child.kill('SIGKILL'), 2_000);
        await exited;
        clearTimeout(killed);
      }
      unregister();
    },
  };
}

/** The first line of child output that names an error (else the last line), for one-line reports. */
export function gist(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  if (process.env.KT_BENCH_DEBUG === "1") return lines.join(" | ");
  const line = lines.find((l) => /\b\w*Error\b/.test(l)) ?? lines[lines.length - 1] ?? '(no output)';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * A Target around a started server child and its temp folder: `describe` says what it is and how
 * clients connect once the child is ready; the readings and `stop` are the same for every server.
 * If `describe` throws (the server never came up), the child is stopped and the folder removed.
 */
export async function targetOf(
  child: ServerChild,
  dir: { remove(): void },
  describe: () => Promise<Pick<Target, 'label' | 'kind' | 'connect'>>,
): Promise<Target> {
  try {
    const { label, kind, connect } = await describe();
    return {
      label,
      kind,
      pid: child.pid,
      connect,
      memory: () => memoryOf(child),
      counts: () => memoryOf(child, 'counts'),
      loopLag: () => loopLagOf(child),
      cpuMs: () => cpuMsOf(child.pid),
      output: () => child.output(),
      async stop() {
        await child.stop();
        dir.remove();
      },
    };
  } catch (error) {
    await child.stop(2_000);
    dir.remove();
    throw error;
  }
}

export async function memoryOf(child: ServerChild, op: 'memory' | 'counts' = 'memory'): Promise<MemorySample> {
  const answer = await child.request(op);
  if (answer.op !== 'memory') throw new Error(`memory request failed: ${answer.op === 'error' ? answer.message : answer.op}`);
  return { ...answer.memory, vmRssBytes: vmRss(child.pid) };
}

export async function loopLagOf(child: ServerChild): Promise<LoopLag> {
  const answer = await child.request('lag');
  if (answer.op !== 'lag') throw new Error(`lag request failed: ${answer.op === 'error' ? answer.message : answer.op}`);
  return answer.lag;
}

function vmRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] !== undefined ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process from /proc/<pid>/stat, assuming the usual 100 ticks per second. */
export function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * 10 : null;
  } catch {
    return null;
  }
}

/** Polls `url` until it answers 2xx. */
export async function waitHttpOk(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

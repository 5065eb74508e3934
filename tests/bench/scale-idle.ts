// The idle row of the scale section (issue 15): N idle, authenticated WebSocket connections on one
// server process, and what each costs the server in memory. Every connection is a plain `ws`
// client on `/sync/index:team:<team>?token=…` (the live list the app keeps open while it sits on
// the list screen) that counts only once the server has admitted it and sent its first message
// (sync step 1 from the joined room); refusals are close codes, so a refused one never counts.
// The server's RSS and heap are read after a forced GC with one connection open (the room loaded)
// and again with all N, then once more after holding them past a ping interval (L9), so the
// heartbeat's cost and any drop-outs show. One demo account holds every socket: the per-user and
// per-device quotas and the connect rate are lifted for this server (scale-setup.ts).
import { WebSocket } from 'ws';
import { wsUrl } from '../support/server';
import { sleep } from './client';
import type { ScaleTarget } from './scale-setup';
import type { MemorySample } from './target';

export interface IdleResult {
  wanted: number;
  opened: number;
  /** Connections the server holds per its own count, right after all opened and after the hold. */
  serverSocketsOpen: number;
  serverSocketsAfterHold: number;
  /** Connections closed under the clients during the hold. */
  closedDuringHold: number;
  openMs: number;
  holdMs: number;
  before: MemorySample;
  after: MemorySample;
  afterHold: MemorySample;
  errors: string[];
}

/** Opens one socket; resolves with it once the server sent its first message, rejects on close/error/timeout. */
function openIdle(url: string, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('not admitted in time'));
    }, timeoutMs);
    ws.once('message', () => {
      clearTimeout(timer);
      resolve(ws);
    });
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      reject(new Error(`closed ${code} ${reason.toString()}`));
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function runIdle(
  target: ScaleTarget,
  opts: { connections: number; concurrency: number; holdMs: number; deadline: number },
): Promise<IdleResult> {
  const room = `index:team:${target.session.user.teamId}`;
  const url = `${wsUrl(`http://127.0.0.1:${target.ports[0] ?? 0}`)}/${room}?token=${encodeURIComponent(target.session.accessToken)}`;
  const open: WebSocket[] = [];
  const errors: string[] = [];
  let closedDuringHold = 0;
  try {
    open.push(await openIdle(url, 30_000));
    const before = await target.memory();
    const started = performance.now();
    let next = 1;
    const failures = new Map<string, number>();
    const worker = async (): Promise<void> => {
      while (next < opts.connections && Date.now() < opts.deadline) {
        next += 1;
        try {
          open.push(await openIdle(url, 30_000));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.set(message, (failures.get(message) ?? 0) + 1);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, () => worker()));
    const openMs = performance.now() - started;
    for (const [message, count] of failures) errors.push(`${count} connection(s) not opened: ${message}`);
    if (next < opts.connections) errors.push(`stopped opening at ${next} of ${opts.connections}: time budget used up`);
    const after = await target.memory();
    for (const ws of open) ws.once('close', () => (closedDuringHold += 1));
    const holdUntil = Math.min(Date.now() + opts.holdMs, opts.deadline);
    const heldFrom = Date.now();
    if (holdUntil > heldFrom) await sleep(holdUntil - heldFrom);
    const afterHold = await target.memory();
    return {
      wanted: opts.connections,
      opened: open.length,
      serverSocketsOpen: after.sockets,
      serverSocketsAfterHold: afterHold.sockets,
      closedDuringHold,
      openMs,
      holdMs: Date.now() - heldFrom,
      before,
      after,
      afterHold,
      errors,
    };
  } finally {
    for (const ws of open) ws.terminate();
  }
}

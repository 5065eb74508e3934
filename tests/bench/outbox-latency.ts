// Delivery latency as an official sees it: the real server (server/main.ts in a child process,
// tests/support/child-server.ts), letters written through y-websocket, then submitted over HTTP.
// t0 = the submit's 202 arrives here; t1 = the team's index room (as the back office holds it,
// live over its WebSocket) shows the document `in-dms`. So it includes the outbox's wake-up,
// the delivery, the SQLite commit of the reference (O1) and the index mirror to a client.
// "one at a time": each submit waits for the previous letter to be archived (idle outbox);
// "burst": all submitted back to back, two at a time, deliveries queue behind rendering.
import { randomUUID } from 'node:crypto';
import { INDEX_MAP, WorkflowStatus, type IndexEntry } from '../../shared/model/index-entry';
import { act, newKey } from '../support/api';
import { freePort, startChildServer } from '../support/child-server';
import { writeLetter } from '../support/letter';
import { AckingClient, login, waitFor, type Session } from '../support/server';
import { onCleanup, tempDir } from './target';

export interface LatencyRun {
  target: string;
  scenario: string;
  samples: number[];
  /** The same submits, 202 here (wall clock) → `archivedAt` the server recorded (O1), same machine clock. */
  serverSide: number[];
  /** Submits refused or letters not archived within the wait. */
  lost: number;
}

const ARCHIVED_WAIT_MS = 30_000;

async function writeLetters(url: string, session: Session, count: number): Promise<string[]> {
  const ids: string[] = [];
  const queue = Array.from({ length: count }, () => randomUUID());
  await Promise.all(
    [0, 1, 2].map(async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const client = new AckingClient(url, `doc:${id}`, session.accessToken);
        try {
          await waitFor(() => client.durable !== null, 20_000, 'document loaded');
          await writeLetter(client, id, session);
        } finally {
          client.destroy();
        }
        ids.push(id);
      }
    }),
  );
  return ids;
}

export async function runSubmitLatency(target: string, env: Record<string, string>, counts: { oneAtATime: number; burst: number }): Promise<LatencyRun[]> {
  const dir = tempDir('kt-bench-latency-');
  const child = await startChildServer(dir.path, await freePort(), { LOG_LEVEL: 'warn', ...env });
  const unregister = onCleanup(() => child.process.kill('SIGKILL'));
  let index: AckingClient | null = null;
  try {
    const vera = await login(child.url, 'veldwerker');
    const kantoor = await login(child.url, 'kantoor');
    index = new AckingClient(child.url, `index:team:${vera.user.teamId}`, kantoor.accessToken);
    const entries = index.doc.getMap<IndexEntry>(INDEX_MAP);
    const archivedAt = new Map<string, number>();
    entries.observe((event) => {
      const at = performance.now();
      for (const key of event.keysChanged as Set<string>) {
        if (!archivedAt.has(key) && entries.get(key)?.status === WorkflowStatus.archived) archivedAt.set(key, at);
      }
    });
    await waitFor(() => index?.provider.synced === true, 20_000, 'index room synced');

    const ids = await writeLetters(child.url, vera, counts.oneAtATime + counts.burst);
    const submitted = new Map<string, number>();
    const submittedWall = new Map<string, number>();
    const submit = async (id: string): Promise<boolean> => {
      const answer = await act(child.url, vera.accessToken, id, 'submit', newKey());
      if (answer.status !== 202) return false;
      submitted.set(id, performance.now());
      submittedWall.set(id, Date.now());
      return true;
    };
    const collect = async (scenario: string, batch: string[]): Promise<LatencyRun> => {
      await waitFor(() => batch.every((id) => archivedAt.has(id) || !submitted.has(id)), ARCHIVED_WAIT_MS, `${scenario}: archived`).catch(() => undefined);
      const samples = batch.flatMap((id) => {
        const t0 = submitted.get(id);
        const t1 = archivedAt.get(id);
        return t0 === undefined || t1 === undefined ? [] : [t1 - t0];
      });
      const outbox = await fetch(`${child.url}/api/outbox`, { headers: { authorization: `Bearer ${kantoor.accessToken}` } });
      const rows = outbox.ok ? ((await outbox.json()) as { docId: string; archivedAt: number | null }[]) : [];
      const serverSide = batch.flatMap((id) => {
        const t0 = submittedWall.get(id);
        const t1 = rows.find((r) => r.docId === id)?.archivedAt;
        return t0 === undefined || t1 === undefined || t1 === null ? [] : [t1 - t0];
      });
      return { target, scenario, samples, serverSide, lost: batch.length - samples.length };
    };

    const one = ids.slice(0, counts.oneAtATime);
    for (const id of one) {
      if (await submit(id)) await waitFor(() => archivedAt.has(id), ARCHIVED_WAIT_MS, 'archived').catch(() => undefined);
    }
    const runs = [await collect('one at a time', one)];

    const burst = ids.slice(counts.oneAtATime);
    const queue = [...burst];
    await Promise.all(
      [0, 1].map(async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) await submit(id);
      }),
    );
    runs.push(await collect(`burst of ${burst.length}`, burst));
    return runs;
  } finally {
    index?.destroy();
    child.process.kill('SIGTERM');
    const killer = setTimeout(() => child.process.kill('SIGKILL'), 10_000);
    await child.exited;
    clearTimeout(killer);
    unregister();
    dir.remove();
  }
}

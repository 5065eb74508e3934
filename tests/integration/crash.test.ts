// The server is killed with SIGKILL while clients write. After a restart everything that had
// been acknowledged is there (S3), and clients re-send what was not.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotCovers } from '../../shared/protocol/persisted';
import { bodyOf, bodyText } from '../support/body-text';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { AckingClient, login, waitFor } from '../support/server';

const dataDir = mkdtempSync(join(tmpdir(), 'kt-crash-'));
const children: ChildServer[] = [];
afterAll(() => {
  for (const c of children) c.process.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('crash', () => {
  it('[S3] after SIGKILL every acknowledged edit survives and clients re-send the rest', async () => {
    const port = await freePort();
    const first = await startChildServer(dataDir, port);
    children.push(first);
    const { accessToken } = await login(first.url, 'veldwerker');
    const docIds = [randomUUID(), randomUUID(), randomUUID()];
    const writers = docIds.map((id) => {
      const client = new AckingClient(first.url, `doc:${id}`, accessToken);
      return { id, client, written: 0, snapshots: [] as Y.Snapshot[] };
    });
    await waitFor(() => writers.every((w) => w.client.durable !== null), 10_000, 'connected');

    // Write numbered words until the kill; remember the state after each word.
    let writing = true;
    const loop = (async () => {
      while (writing) {
        for (const w of writers) {
          w.written += 1;
          bodyText(w.client.doc).insert(bodyText(w.client.doc).length, `w${w.written} `);
          w.snapshots.push(Y.snapshot(w.client.doc));
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await new Promise((r) => setTimeout(r, 400 + Math.random() * 400));
    first.process.kill('SIGKILL');
    await first.exited;
    writing = false;
    await loop;

    // What each client knows to be acknowledged, by its last ack.
    const acked = writers.map((w) => {
      const durable = w.client.durable;
      if (durable === null) return 0;
      let n = 0;
      w.snapshots.forEach((s, i) => {
        if (snapshotCovers(durable, s)) n = i + 1;
      });
      return n;
    });
    for (const w of writers) w.client.provider.disconnect();
    expect(acked.some((n) => n > 0)).toBe(true);

    const second = await startChildServer(dataDir, port);
    children.push(second);
    const again = await login(second.url, 'veldwerker');
    // A fresh reader sees what the server has before any writer reconnects.
    for (const [i, w] of writers.entries()) {
      const reader = new AckingClient(second.url, `doc:${w.id}`, again.accessToken);
      await waitFor(() => reader.durable !== null, 10_000, 'reader synced');
      await waitFor(() => reader.provider.synced, 10_000, 'reader synced');
      const text = bodyOf(reader.doc);
      for (let k = 1; k <= (acked[i] ?? 0); k++) expect(text).toContain(`w${k} `);
      reader.destroy();
    }
    // The writers reconnect (new token: the old one still works, but be explicit) and re-send.
    for (const w of writers) {
      w.client.provider.params = { token: again.accessToken };
      w.client.provider.connect();
    }
    for (const w of writers) await w.client.waitSaved(15_000);
    for (const w of writers) {
      const reader = new AckingClient(second.url, `doc:${w.id}`, again.accessToken);
      await waitFor(() => reader.provider.synced, 10_000, 'final reader');
      expect(bodyOf(reader.doc)).toBe(bodyOf(w.client.doc));
      expect(bodyOf(reader.doc)).toContain(`w${w.written} `);
      reader.destroy();
      w.client.destroy();
    }
    second.process.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});

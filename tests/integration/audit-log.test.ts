// The audit log's own contract (U1–U3), against both implementations: the SQLite log on a real
// file in a temp dir and the memory log must answer the same. The SQLite table is also checked
// from a second connection: its triggers refuse UPDATE and DELETE whoever asks (U2).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../server/audit/types';
import { createMemoryStore } from '../../server/store/memory/store';
import { openSqliteStore } from '../../server/store/sqlite/store';
import type { Store } from '../../server/store/types';

interface Harness {
  store: Store;
  file?: string;
  dispose(): Promise<void>;
}

const factories: { name: string; create(): Harness }[] = [
  {
    name: 'sqlite',
    create() {
      const dir = mkdtempSync(join(tmpdir(), 'keukentafel-audit-'));
      const file = join(dir, 'keukentafel.sqlite');
      const store = openSqliteStore(file);
      return {
        store,
        file,
        async dispose() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'memory',
    create() {
      const store = createMemoryStore();
      return { store, dispose: () => store.close() };
    },
  },
];

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  userId: 'u-vera',
  deviceId: 'dev-1',
  action: 'document-created',
  documentId: 'doc-1',
  address: '192.0.2.10',
  at: 1_000,
  details: { template: 'verslag' },
  ...over,
});

for (const factory of factories) {
  describe(`audit log (${factory.name})`, () => {
    let harness: Harness;
    let log: AuditLog;
    const open = (): AuditLog => {
      harness = factory.create();
      log = harness.store.audit;
      return log;
    };
    afterEach(async () => {
      await harness.dispose();
    });

    it('[U1] keeps who, device, action, document, address, time and details, numbered in order', async () => {
      open();
      const first = await log.record(entry());
      const second = await log.record(entry({ action: 'sign-in', documentId: null, at: 2_000, details: undefined }));
      expect(first).toEqual({ seq: first.seq, ...entry(), documentId: 'doc-1' });
      expect(second.seq).toBeGreaterThan(first.seq);
      expect(second.details).toEqual({});
      expect(await log.query({})).toEqual([first, second]);
    });

    it('[U1] filters by user, document and period (from inclusive, to exclusive), and pages by seq', async () => {
      open();
      const a = await log.record(entry({ userId: 'u-a', documentId: 'doc-1', at: 1_000 }));
      const b = await log.record(entry({ userId: 'u-b', documentId: 'doc-1', at: 2_000 }));
      const c = await log.record(entry({ userId: 'u-a', documentId: 'doc-2', at: 3_000 }));
      const d = await log.record(entry({ userId: null, deviceId: null, documentId: null, address: null, action: 'sign-in-failed', at: 4_000 }));
      expect(await log.query({ userId: 'u-a' })).toEqual([a, c]);
      expect(await log.query({ documentId: 'doc-1' })).toEqual([a, b]);
      expect(await log.query({ from: 2_000, to: 4_000 })).toEqual([b, c]);
      expect(await log.query({ userId: 'u-a', documentId: 'doc-2' })).toEqual([c]);
      expect(await log.query({ afterSeq: b.seq, limit: 1 })).toEqual([c]);
      expect(await log.query({ from: 4_000 })).toEqual([d]);
    });

    it('[U3] refuses an unknown action, oversized details and a non-integer time, storing nothing', async () => {
      open();
      const unknown = { ...entry(), action: 'deleted-everything' } as unknown as AuditEntry;
      await expect(log.record(unknown)).rejects.toThrow(/unknown audit action/);
      await expect(log.record(entry({ details: { text: 'x'.repeat(3000) } }))).rejects.toThrow(/details/);
      await expect(log.record(entry({ at: 1.5 }))).rejects.toThrow(/time/);
      expect(await log.query({})).toEqual([]);
    });

    it('[U2] what a caller gets back cannot change what is stored', async () => {
      open();
      const stored = await log.record(entry({ details: { version: 1 } }));
      stored.details.version = 2;
      const [read] = await log.query({});
      if (read === undefined) throw new Error('entry missing');
      read.details.version = 3;
      expect((await log.query({}))[0]?.details).toEqual({ version: 1 });
    });

    if (factory.name === 'sqlite') {
      it('[U2] the table refuses UPDATE and DELETE from any connection', async () => {
        open();
        await log.record(entry());
        const other = new Database(harness.file ?? '');
        try {
          expect(() => other.prepare("UPDATE audit_log SET user_id = 'someone-else'").run()).toThrow(/append-only/);
          expect(() => other.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
        } finally {
          other.close();
        }
        expect(await log.query({})).toHaveLength(1);
        expect((await log.query({}))[0]?.userId).toBe('u-vera');
      });

      it('[U9] nothing prunes the trail: an entry years old is still there after the store is opened again', async () => {
        open();
        const yearsAgo = Date.UTC(2019, 0, 2);
        await log.record(entry({ at: yearsAgo }));
        await harness.store.close();
        const again = openSqliteStore(harness.file ?? '');
        try {
          expect((await again.audit.query({})).map((e) => e.at)).toEqual([yearsAgo]);
        } finally {
          await again.close();
        }
        harness = { ...harness, store: openSqliteStore(harness.file ?? '') };
      });
    }
  });
}

// Y6, Y7: the session's notice list: derived from the feeds the device holds, "seen" kept in the
// LocalStore through its codec (never plaintext), read back by the next session on the device.
import { describe, expect, it } from 'vitest';
import { NoticeCenter } from '../../../client/app/session/notice-center';
import { openDexieLocalStore } from '../../../client/store/dexie-local-store';
import type { IndexFeed } from '../../../client/sync/index-feed';
import type { IndexEntry } from '../../../shared/model/index-entry';
import { freshIndexedDB, waitFor, xorCodec } from '../../support/client-env';

const NOW = Date.UTC(2026, 11, 3, 20, 0);

function feed(room: string, entries: IndexEntry[]): IndexFeed & { set(next: IndexEntry[]): void } {
  const listeners = new Set<() => void>();
  let list = entries;
  return {
    room,
    entries: () => list,
    live: false,
    stopped: null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      list = next;
      for (const l of listeners) l();
    },
  };
}

const base = { templateId: 'brief', kind: 'brief', zaak: 'ZAAK-2026-0042', teamId: 'centrum', createdAt: NOW - 9e6, updatedAt: NOW - 1e6 };
const returnedEntry: IndexEntry = {
  ...base,
  id: 'doc-a',
  title: 'Brief aan mevrouw De Boer',
  createdBy: 'u-kantoor',
  status: 'concept',
  returned: { byName: 'Kim', at: NOW - 2e6, version: 1, section: null, remark: 'Aanvullen' },
};
const waitingEntry: IndexEntry = { ...base, id: 'doc-b', title: 'Besluit Bakker', createdBy: 'u-veld', submittedBy: 'u-veld', status: 'ter-goedkeuring', statusSince: NOW - 1e6 };

async function openStore(idb: ReturnType<typeof freshIndexedDB>) {
  return openDexieLocalStore('u-kantoor', { ...idb, codec: xorCodec() });
}

describe('notice center', () => {
  it('[Y7] reads the user\'s and the team\'s list for an approver and counts what is unseen', async () => {
    const idb = freshIndexedDB();
    const store = await openStore(idb);
    const own = feed('index:user:u-kantoor', [returnedEntry]);
    const team = feed('index:team:centrum', [returnedEntry, waitingEntry]);
    const opened: string[] = [];
    const sync = { openIndex: (room: string) => (opened.push(room), Promise.resolve(room.startsWith('index:user') ? own : team)) };
    const user = { id: 'u-kantoor', name: 'Kim', roles: ['office', 'approver'], teamId: 'centrum' };
    const center = new NoticeCenter({ user, store, sync } as never, () => NOW);
    center.start();
    await waitFor(() => center.current().loaded, 2_000, 'loaded');
    expect(opened).toEqual(['index:user:u-kantoor', 'index:team:centrum']);
    expect(center.current().notices.map((n) => n.kind)).toEqual(['awaiting-approval', 'returned']);
    expect(center.current().unseen).toBe(2);
    // A change in a list shows at once: approved meanwhile, so no longer waiting.
    team.set([returnedEntry, { ...waitingEntry, status: 'ingediend' }]);
    expect(center.current().unseen).toBe(1);
    center.close();
  });

  it('[Y6] seen keys are stored through the codec and read back by the next session on this device', async () => {
    const idb = freshIndexedDB();
    const user = { id: 'u-kantoor', name: 'Kim', roles: ['office', 'approver'], teamId: 'centrum' };
    const lists = () => ({ openIndex: (room: string) => Promise.resolve(feed(room, room.startsWith('index:user') ? [returnedEntry] : [returnedEntry, waitingEntry])) });
    const store = await openStore(idb);
    const first = new NoticeCenter({ user, store, sync: lists() } as never, () => NOW);
    first.start();
    await waitFor(() => first.current().loaded, 2_000, 'loaded');
    await first.markDocumentSeen('doc-b');
    expect(first.current().unseen).toBe(1);
    first.close();

    // Nothing readable about the notice in IndexedDB: the key holds the document id.
    const raw = await new Promise<string>((resolve, reject) => {
      const open = idb.indexedDB.open('keukentafel-u-kantoor');
      open.onerror = () => reject(new Error(String(open.error)));
      open.onsuccess = () => {
        const db = open.result;
        const all = db.transaction('settings', 'readonly').objectStore('settings').getAll();
        all.onsuccess = () => {
          resolve(JSON.stringify(all.result, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v)));
          db.close();
        };
      };
    });
    expect(raw).not.toContain('doc-b');
    expect(raw).not.toContain('awaiting-approval');

    const again = new NoticeCenter({ user, store, sync: lists() } as never, () => NOW);
    again.start();
    await waitFor(() => again.current().loaded, 2_000, 'loaded again');
    expect(again.current().unseen).toBe(1);
    expect(again.current().notices.find((n) => n.docId === 'doc-b') && again.current().seen.size).toBe(1);
    again.close();
  });
});

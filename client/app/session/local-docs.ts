// Documents created on this device, kept in the user's LocalStore (setting `localDocs`) so that a
// letter written offline shows in "Mijn documenten" before the server lists it. Records whose
// document the server lists are dropped; the index row is the better source from then on.
import * as z from 'zod/mini';
import type { LocalStore } from '../../store/local-store';
import type { LocalDocRecord } from '../logic/doc-list';

const SETTING = 'localDocs';
const recordSchema = z.object({ id: z.string(), templateId: z.string(), title: z.string(), createdAt: z.number() });
const listSchema = z.array(recordSchema);

export async function readLocalDocs(store: LocalStore): Promise<LocalDocRecord[]> {
  const parsed = listSchema.safeParse(await store.getSetting(SETTING));
  return parsed.success ? parsed.data : [];
}

/** Serialised per store: two quick edits must not lose each other's write. */
const chains = new WeakMap<LocalStore, Promise<unknown>>();

function update(store: LocalStore, change: (list: LocalDocRecord[]) => LocalDocRecord[]): Promise<void> {
  const previous = chains.get(store) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const list = await readLocalDocs(store);
      await store.putSetting(SETTING, change(list).map((r) => ({ ...r })));
    });
  chains.set(store, next);
  return next;
}

export function addLocalDoc(store: LocalStore, record: LocalDocRecord): Promise<void> {
  return update(store, (list) => [...list.filter((r) => r.id !== record.id), record]);
}

export function setLocalDocTitle(store: LocalStore, id: string, title: string): Promise<void> {
  return update(store, (list) => list.map((r) => (r.id === id ? { ...r, title } : r)));
}

export function pruneLocalDocs(store: LocalStore, listedIds: ReadonlySet<string>): Promise<void> {
  return update(store, (list) => list.filter((r) => !listedIds.has(r.id)));
}

/** E11: a discarded concept leaves the device's own list too. */
export function removeLocalDoc(store: LocalStore, id: string): Promise<void> {
  return update(store, (list) => list.filter((r) => r.id !== id));
}

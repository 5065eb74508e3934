// Keeps the index rooms (`index:team:<id>`, `index:user:<id>`) true to the documents table:
// the database row is the source of truth, the index room's Y.Doc a live, persisted mirror
// that devices cache for offline lists. Rows change first, then the rooms that list them.
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/document';
import { INDEX_MAP, WorkflowStatus, type IndexEntry, type ReturnedNote } from '../../shared/model/index-entry';
import type { Room } from '../../shared/protocol/rooms';
import type { LoadedRoom } from '../sync/room';
import { SERVER_ORIGIN } from '../sync/room';
import type { RoomManager } from '../sync/room-manager';
import { isDiscarded } from '../store/drafts';
import type { AccountStore, DocumentRow, DocumentStore, SubmissionStore } from '../store/types';

export interface IndexServiceOptions {
  /**
   * `listReviews` tells a returned concept (V8); `getUser` the author's name and `listSubmissions`
   * the latest submitter (Q2); without them no entry says so.
   */
  store: DocumentStore & Partial<Pick<SubmissionStore, 'listReviews' | 'listSubmissions'> & Pick<AccountStore, 'getUser'>>;
  now: () => number;
  /** Minimum time between two `updatedAt` writes for the same document. */
  touchIntervalMs?: number;
  onError: (error: unknown, context: string) => void;
}

/** Q2: what the index adds beside the row: who wrote it and who submitted it last. */
export interface EntryPeople {
  authorName: string | null;
  submittedBy: string | null;
}

const NOBODY: EntryPeople = { authorName: null, submittedBy: null };

export function toIndexEntry(row: DocumentRow, returned: ReturnedNote | null = null, people: EntryPeople = NOBODY): IndexEntry {
  return {
    ...(returned === null ? {} : { returned }),
    ...(people.authorName === null ? {} : { authorName: people.authorName }),
    ...(people.submittedBy === null ? {} : { submittedBy: people.submittedBy }),
    statusSince: row.statusSince ?? row.createdAt,
    id: row.id,
    title: row.title,
    templateId: row.templateId,
    kind: row.kind,
    zaak: row.zaak,
    teamId: row.teamId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    status: row.status,
  };
}

function sameEntry(a: unknown, b: IndexEntry): boolean {
  if (typeof a !== 'object' || a === null) return false;
  const rec = a as Record<string, unknown>;
  if (Object.keys(rec).length !== Object.keys(b).length) return false;
  return (Object.keys(b) as (keyof IndexEntry)[]).every((k) =>
    typeof b[k] === 'object' && b[k] !== null ? JSON.stringify(rec[k]) === JSON.stringify(b[k]) : rec[k] === b[k],
  );
}

export class IndexService {
  private rooms: RoomManager | null = null;
  private readonly rows = new Map<string, DocumentRow>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly touchIntervalMs: number;

  constructor(private readonly opts: IndexServiceOptions) {
    this.touchIntervalMs = opts.touchIntervalMs ?? 5_000;
  }

  attach(rooms: RoomManager): void {
    this.rooms = rooms;
  }

  /** Room-manager hook: an index room was loaded; bring it in line with the database. */
  async reconcile(room: LoadedRoom): Promise<void> {
    const filter =
      room.name.kind === 'team-index'
        ? { teamId: room.name.teamId }
        : room.name.kind === 'user-index'
          ? { createdBy: room.name.userId }
          : null;
    if (filter === null) return;
    const rows = await this.opts.store.listDocuments(filter);
    const notes = await Promise.all(rows.map((row) => this.returnedNote(row)));
    const names = new Map<string, Promise<string | null>>();
    const people = await Promise.all(rows.map((row) => this.people(row, names)));
    const map = room.doc.getMap<IndexEntry>(INDEX_MAP);
    const ids = new Set(rows.map((r) => r.id));
    Y.transact(
      room.doc,
      () => {
        for (const [i, row] of rows.entries()) {
          const entry = toIndexEntry(row, notes[i] ?? null, people[i] ?? NOBODY);
          if (!sameEntry(map.get(row.id), entry)) map.set(row.id, entry);
        }
        for (const key of [...map.keys()]) if (!ids.has(key)) map.delete(key);
      },
      SERVER_ORIGIN,
    );
  }

  /** A document row was created or changed: mirror it into its team and author indexes. */
  documentChanged(row: DocumentRow): Promise<void> {
    this.rows.set(row.id, row);
    return this.serially(row.id, () => this.mirror(row));
  }

  /** Room-manager hook: content of these rooms was committed; refresh their rows. */
  afterCommit(rooms: readonly LoadedRoom[]): void {
    for (const room of rooms) {
      if (room.name.kind !== 'doc') continue;
      const docId = room.name.docId;
      const meta = readMeta(room.doc);
      void this.serially(docId, async () => {
        const row = this.rows.get(docId) ?? (await this.opts.store.getDocument(docId));
        if (row === null) return;
        const now = this.opts.now();
        const metaChanged =
          row.title !== meta.title ||
          row.templateId !== meta.templateId ||
          row.kind !== meta.kind ||
          row.zaak !== meta.zaak;
        if (!metaChanged && now - row.updatedAt < this.touchIntervalMs) {
          this.rows.set(docId, row);
          return;
        }
        const patch = { title: meta.title, templateId: meta.templateId, kind: meta.kind, zaak: meta.zaak, updatedAt: now };
        await this.opts.store.updateDocument(docId, patch);
        // An action, here or in another process (CL23), may have changed the row (its status)
        // while we wrote: mirror what the store holds now, never a cached status.
        const next: DocumentRow = (await this.opts.store.getDocument(docId)) ?? { ...(this.rows.get(docId) ?? row), ...patch };
        this.rows.set(docId, next);
        await this.mirror(next);
      });
    }
  }

  /**
   * CL23: another process changed the row; a cached copy takes it, so this process never writes
   * an older status back into a list. The other process mirrors it into the index rooms itself.
   */
  rowChanged(row: DocumentRow): void {
    if (this.rows.has(row.id)) this.rows.set(row.id, row);
  }

  /** Forget cached rows of documents that left memory. */
  forget(docId: string): void {
    this.rows.delete(docId);
  }

  /** V8: the return that made this concept, when its latest review is one. */
  private async returnedNote(row: DocumentRow): Promise<ReturnedNote | null> {
    if (row.status !== WorkflowStatus.concept || this.opts.store.listReviews === undefined) return null;
    const reviews = await this.opts.store.listReviews(row.id);
    const last = reviews[reviews.length - 1];
    if (last === undefined || last.kind !== 'returned') return null;
    return { byName: last.byName, at: last.at, version: last.version, section: last.section, remark: last.remark ?? '' };
  }

  /**
   * Q2: the author's display name (an official's, from the users table) and the user who made the
   * latest submission. `names` shares look-ups within one reconcile.
   */
  private async people(row: DocumentRow, names = new Map<string, Promise<string | null>>()): Promise<EntryPeople> {
    const { getUser, listSubmissions } = this.opts.store;
    let name = names.get(row.createdBy);
    if (name === undefined) {
      name = getUser === undefined ? Promise.resolve(null) : getUser.call(this.opts.store, row.createdBy).then((u) => u?.name ?? null);
      names.set(row.createdBy, name);
    }
    // A concept that was never submitted has no submitter: skip the look-up for those.
    const submissions =
      listSubmissions === undefined || (row.status === WorkflowStatus.concept && row.statusSince === undefined)
        ? []
        : await listSubmissions.call(this.opts.store, row.id);
    const latest = submissions.reduce<(typeof submissions)[number] | null>((a, b) => (a === null || b.version > a.version ? b : a), null);
    return { authorName: await name, submittedBy: latest?.submittedBy ?? null };
  }

  private async mirror(row: DocumentRow): Promise<void> {
    // E2: a discarded concept leaves both lists; a restore puts it back.
    const entry = isDiscarded(row) ? null : toIndexEntry(row, await this.returnedNote(row), await this.people(row));
    const targets: Room[] = [
      { kind: 'team-index', teamId: row.teamId },
      { kind: 'user-index', userId: row.createdBy },
    ];
    const rooms = this.rooms;
    if (rooms === null) return;
    for (const target of targets) {
      const room = await rooms.acquire(target);
      try {
        const map = room.doc.getMap<IndexEntry>(INDEX_MAP);
        if (entry === null) {
          if (map.has(row.id)) Y.transact(room.doc, () => map.delete(row.id), SERVER_ORIGIN);
        } else if (!sameEntry(map.get(row.id), entry)) {
          Y.transact(room.doc, () => map.set(row.id, entry), SERVER_ORIGIN);
        }
      } finally {
        rooms.release(room);
      }
    }
  }

  private serially(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(task)
      .catch((error: unknown) => this.opts.onError(error, `index ${key}`))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
    return next;
  }
}

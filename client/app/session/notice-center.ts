// Y4, Y6: one notice list per signed-in session, shared by the header's badge and the /meldingen
// screen. It reads the user's index room and, for office and approvers, the team's (the same
// feeds the lists use: live online, last known state offline), derives the notices and keeps the
// keys the user has seen in the LocalStore setting `noticesSeen` (through the vault's codec, K1).
import { useEffect, useState } from 'preact/hooks';
import * as z from 'zod/mini';
import type { IndexEntry } from '../../../shared/model/index-entry';
import { readsTeamNotices } from '../../../shared/model/notices';
import { teamIndexRoom, userIndexRoom } from '../../../shared/protocol/rooms';
import type { IndexFeed } from '../../sync/index-feed';
import type { Session } from '../../sync/session';
import { deriveNotices, markSeen, unseenCount, type Notice } from '../logic/notices';

const SETTING = 'noticesSeen';
const seenSchema = z.array(z.string());

export interface NoticeView {
  notices: Notice[];
  seen: ReadonlySet<string>;
  unseen: number;
  /** False until the lists and the seen keys were read from the device. */
  loaded: boolean;
}

export class NoticeCenter {
  private feeds: IndexFeed[] = [];
  private seen: string[] = [];
  private view: NoticeView = { notices: [], seen: new Set(), unseen: 0, loaded: false };
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribes: Array<() => void> = [];
  private writing: Promise<void> = Promise.resolve();
  private closed = false;
  private started = false;

  constructor(
    private readonly session: Pick<Session, 'user' | 'store' | 'sync'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Opens the feeds and reads the seen keys once; later calls do nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { user, sync, store } = this.session;
    const rooms = [userIndexRoom(user.id), ...(readsTeamNotices(user) ? [teamIndexRoom(user.teamId)] : [])];
    void (async () => {
      const parsed = seenSchema.safeParse(await store.getSetting(SETTING).catch(() => undefined));
      if (parsed.success) this.seen = parsed.data;
      const opened = await Promise.allSettled(rooms.map((room) => sync.openIndex(room)));
      if (this.closed) return;
      for (const result of opened) {
        if (result.status !== 'fulfilled') continue;
        this.feeds.push(result.value);
        this.unsubscribes.push(result.value.subscribe(() => this.refresh()));
      }
      this.refresh(true);
    })().catch(() => this.refresh(true));
  }

  current(): NoticeView {
    return this.view;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks these notices seen (opened, or "alles gelezen"); stored on the device. */
  markSeen(keys: readonly string[]): Promise<void> {
    if (!this.view.loaded) return Promise.resolve();
    const fresh = keys.filter((k) => !this.view.seen.has(k));
    if (fresh.length === 0) return Promise.resolve();
    this.seen = markSeen(this.seen, fresh, this.view.notices);
    this.refresh();
    const value = [...this.seen];
    // Writes in order: a later mark never lands before an earlier one.
    this.writing = this.writing.then(() => this.session.store.putSetting(SETTING, value)).catch(() => undefined);
    return this.writing;
  }

  /** The user opened this document: its notices are read. */
  markDocumentSeen(docId: string): Promise<void> {
    return this.markSeen(this.view.notices.filter((n) => n.docId === docId).map((n) => n.key));
  }

  close(): void {
    this.closed = true;
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.listeners.clear();
  }

  private refresh(loadedNow = false): void {
    if (this.closed) return;
    const entries: IndexEntry[] = this.feeds.flatMap((feed) => feed.entries());
    const notices = deriveNotices(entries, this.session.user, this.now());
    const seen = new Set(this.seen);
    this.view = { notices, seen, unseen: unseenCount(notices, seen), loaded: this.view.loaded || loadedNow };
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // One broken view must not stop the others.
      }
    }
  }
}

const centers = new WeakMap<object, NoticeCenter>();

/** The session's notice center, started on first use. */
export function noticeCenterOf(session: Pick<Session, 'user' | 'store' | 'sync'>): NoticeCenter {
  let center = centers.get(session);
  if (center === undefined) {
    center = new NoticeCenter(session);
    centers.set(session, center);
  }
  center.start();
  return center;
}

/** The session's notices as Preact state. */
export function useNotices(session: Pick<Session, 'user' | 'store' | 'sync'>): NoticeView & { center: NoticeCenter } {
  const center = noticeCenterOf(session);
  const [view, setView] = useState<NoticeView>(() => center.current());
  useEffect(() => {
    setView(center.current());
    return center.subscribe(() => setView(center.current()));
  }, [center]);
  return { ...view, center };
}

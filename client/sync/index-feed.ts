// A live list that also works offline: the user's or team's index room (written only by the
// server) kept in a Y.Doc that is persisted through the same LocalStore seam as documents, so
// "Mijn documenten" and the back-office inbox show their last known state without a network.
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { INDEX_MAP, parseIndexEntry, type IndexEntry } from '../../shared/model/index-entry';
import { DocPersistence } from '../store/doc-persistence';
import { emptyDocState } from '../store/local-store';
import type { LocalStore } from '../store/local-store';
import type { TokenSource } from './auth-client';
import type { BackoffOptions } from './backoff';
import { DocConnection, type ConnectionStop } from './doc-connection';

export interface IndexFeed {
  readonly room: string;
  /** Valid entries, most recently updated first. */
  entries(): IndexEntry[];
  /** True while connected to the server: the list is live, not only the last known state. */
  readonly live: boolean;
  /**
   * Set when the server refused the room for good (4403) or the sign-in ended. A first 4403
   * while the device holds a cached list is not final: see IndexFeedHandle.resetCache.
   */
  readonly stopped: ConnectionStop | null;
  subscribe(listener: () => void): () => void;
}

export interface IndexFeedDeps {
  room: string;
  syncUrl: string;
  store: LocalStore;
  tokens: TokenSource;
  WebSocketImpl: typeof WebSocket;
  backoff: BackoffOptions;
  random: () => number;
  mayConnect: () => boolean;
  onReachable: () => void;
  /** Y2: the socket closed (or never opened): the manager asks the server whether it is there. */
  onUnreachable?: () => void;
}

export class IndexFeedHandle implements IndexFeed {
  private readonly listeners = new Set<() => void>();
  private conn: DocConnection | null = null;
  private stopReason: ConnectionStop | null = null;
  private isLive = false;
  private cache: IndexEntry[] | null = null;
  private resetting: Promise<void> | null = null;
  private destroyed = false;

  private constructor(
    private readonly deps: IndexFeedDeps,
    private doc: Y.Doc,
    private persistence: DocPersistence,
  ) {
    this.observe(doc);
  }

  private observe(doc: Y.Doc): void {
    doc.getMap(INDEX_MAP).observe(() => {
      this.cache = null;
      this.notify();
    });
  }

  static async open(deps: IndexFeedDeps): Promise<IndexFeedHandle> {
    const doc = new Y.Doc();
    const persistence = await DocPersistence.bind(deps.store, deps.room, doc);
    const feed = new IndexFeedHandle(deps, doc, persistence);
    feed.connect();
    return feed;
  }

  get room(): string {
    return this.deps.room;
  }

  get live(): boolean {
    return this.isLive;
  }

  get stopped(): ConnectionStop | null {
    return this.stopReason;
  }

  entries(): IndexEntry[] {
    if (this.cache === null) {
      const list: IndexEntry[] = [];
      for (const value of this.doc.getMap(INDEX_MAP).values()) {
        const entry = parseIndexEntry(value);
        if (entry !== null) list.push(entry);
      }
      this.cache = list.sort((a, b) => b.updatedAt - a.updatedAt);
    }
    return this.cache;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Connects unless connected, stopped or not allowed (offline, signed out). */
  connect(): void {
    if (this.stopReason !== null || !this.deps.mayConnect()) return;
    if (this.conn === null) {
      this.conn = new DocConnection({
        syncUrl: this.deps.syncUrl,
        room: this.deps.room,
        doc: this.doc,
        awareness: new Awareness(this.doc),
        tokens: this.deps.tokens,
        WebSocketImpl: this.deps.WebSocketImpl,
        backoff: this.deps.backoff,
        random: this.deps.random,
        mayConnect: this.deps.mayConnect,
        onAck: () => undefined,
        onOpen: () => {
          this.isLive = true;
          this.deps.onReachable();
          this.notify();
        },
        onClose: ({ code }) => {
          this.isLive = false;
          if (code < 4000) this.deps.onUnreachable?.();
          this.notify();
        },
        onStop: (reason) => {
          this.isLive = false;
          // The server answers 4403 when our cached list holds history it lacks (its database
          // was restored from a backup): the list is the server's to write, so drop ours and ask
          // again. An empty cache refused again is a real refusal: no loop is possible.
          if (reason === 'no-access' && this.doc.getMap(INDEX_MAP).size > 0 && this.resetting === null) {
            this.resetting = this.resetCache().finally(() => {
              this.resetting = null;
            });
            return;
          }
          this.stopReason = reason;
          this.notify();
        },
      });
    }
    this.conn.start();
  }

  /** A wake event or a manual retry: skip what is left of the backoff. */
  retryNow(): void {
    if (this.conn === null) this.connect();
    else this.conn.retryNow();
  }

  /** Network cut (simulated or signed out): close the socket, keep the list. */
  async disconnect(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    this.isLive = false;
    this.notify();
    if (conn !== null) await conn.destroy();
  }

  /** Replaces the cached list by an empty one, on the device too, and connects again. */
  private async resetCache(): Promise<void> {
    await this.disconnect();
    await this.persistence.destroy();
    const { count } = await this.deps.store.loadUpdates(this.deps.room);
    await this.deps.store.compactUpdates(this.deps.room, Y.encodeStateAsUpdate(new Y.Doc()), count);
    await this.deps.store.putDocState(this.deps.room, emptyDocState());
    if (this.destroyed) return;
    this.doc.destroy();
    this.doc = new Y.Doc();
    this.observe(this.doc);
    this.persistence = await DocPersistence.bind(this.deps.store, this.deps.room, this.doc);
    this.cache = null;
    this.notify();
    this.connect();
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.resetting;
    await this.disconnect();
    await this.persistence.destroy();
    this.listeners.clear();
    this.doc.destroy();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // One broken view must not stop the others.
      }
    }
  }
}

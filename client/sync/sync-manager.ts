// Decides which documents are connected and what their badge says. Open documents stay
// connected; in the background only documents with unsent changes connect, at most `maxSockets`
// at once, and let go once saved. "Saved" comes only from a persisted-ack that covers the local
// snapshot (S2), never from socket state; reachability comes from the server, never navigator.onLine.
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { snapshotCovers } from '../../shared/protocol/persisted';
import { docRoom, isUuid } from '../../shared/protocol/rooms';
import { DocPersistence } from '../store/doc-persistence';
import { toLocalStoreError, type LocalStore } from '../store/local-store';
import type { FetchLike, TokenSource } from './auth-client';
import { defaultBackoff, type BackoffOptions } from './backoff';
import { ConnectivityTracker, ConnectivityWatch, defaultWatchTiming, type WatchTiming } from './connectivity';
import { DocConnection, type ConnectionStop, type FrozenReason } from './doc-connection';
import { IndexFeedHandle, type IndexFeed } from './index-feed';
import {
  ProgressRound,
  type Connectivity,
  type DocStatus,
  type SyncErrorReason,
  type SyncEvent,
  type SyncProgress,
} from './sync-status';
import type { WakeSource } from './wake-source';

export type { Connectivity, DocStatus, SyncErrorReason, SyncEvent, SyncProgress } from './sync-status';

export interface SyncManagerOptions {
  /** `http(s)://host:port` */
  serverUrl: string;
  store: LocalStore;
  tokens: TokenSource;
  WebSocketImpl?: typeof WebSocket;
  fetchImpl?: FetchLike;
  maxSockets?: number;
  wake?: WakeSource;
  random?: () => number;
  now?: () => number;
  backoff?: BackoffOptions;
  compactAfter?: number;
  /** Y1: the beat of health probes; null switches it off (tests of socket-only behaviour). */
  connectivityWatch?: WatchTiming | null;
  /** Y1: probes only while this says so. Default: while the page (if any) is not hidden. */
  isVisible?: () => boolean;
}

export interface SyncManager {
  readonly connectivity: Connectivity;
  /** When the server last answered (socket open or health check), from `now()`. */
  readonly lastContactAt: number | null;
  /** Resolves once the stored documents are known and the background queue is filled. */
  ready(): Promise<void>;
  /** Loads the document from the device and keeps it connected until `close`. Counted per call. */
  open(docId: string): Promise<Y.Doc>;
  close(docId: string): void;
  status(docId: string): DocStatus;
  /** S1 gate for "opgeslagen op dit apparaat": every update so far is in IndexedDB. */
  whenSavedLocally(docId: string): Promise<void>;
  /** Presence of an open document; null when not loaded. */
  awareness(docId: string): Awareness | null;
  subscribe(listener: (event: SyncEvent) => void): () => void;
  progress(): SyncProgress;
  /** Documents whose changes have not all reached the server's database. */
  unsavedDocIds(): string[];
  /** Retries now what waits for a backoff (also what a wake event does). */
  reconnect(): void;
  checkConnectivity(): Promise<Connectivity>;
  /**
   * The live, offline-available list of an index room (`index:team:<id>`, `index:user:<id>`).
   * One feed per room, kept until `destroy`.
   */
  openIndex(room: string): Promise<IndexFeed>;
  /**
   * V3: the list says this document takes edits again (it was returned): send the edits that
   * were parked while it was frozen now instead of after the next retry.
   */
  editable(docId: string): void;
  /**
   * E9: remembers (on the device, through the LocalStore) that this device created the document,
   * so its first connection asks the server to create it. Call before `open`. Forgotten once the
   * server acknowledged the document (then it exists there).
   */
  markCreatedHere(docId: string): Promise<void>;
  /** E9: whether this device created the document and the server has not acknowledged it yet. */
  createdHere(docId: string): boolean;
  /** Simulates a network cut: closes every socket and refuses to connect while true. */
  setOffline(offline: boolean): void;
  /** Flushes writes, closes sockets and destroys every Y.Doc it handed out. */
  destroy(): Promise<void>;
}

interface Entry {
  docId: string;
  doc: Y.Doc;
  awareness: Awareness;
  persistence: DocPersistence;
  conn: DocConnection | null;
  openCount: number;
  acked: Y.Snapshot | null;
  covered: boolean;
  recheckQueued: boolean;
}

/** E9: the LocalStore setting that keeps the create intents (ids only, through the codec). */
const CREATE_INTENTS_SETTING = 'createIntents';

export function toSyncUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  const protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}/sync`;
}

function isCovered(acked: Y.Snapshot | null, doc: Y.Doc): boolean {
  const local = Y.snapshot(doc);
  if (acked !== null) return snapshotCovers(acked, local);
  // Nothing to send is nothing to lose: an empty new document needs no ack.
  return local.sv.size === 0 && local.ds.clients.size === 0;
}

export function createSyncManager(opts: SyncManagerOptions): SyncManager {
  const store = opts.store;
  const tokens = opts.tokens;
  const maxSockets = Math.max(1, opts.maxSockets ?? 4);
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const fetchImpl: FetchLike = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const WebSocketImpl = opts.WebSocketImpl ?? globalThis.WebSocket;
  const syncUrl = toSyncUrl(opts.serverUrl);
  const backoff = opts.backoff ?? defaultBackoff;

  const entries = new Map<string, Entry>();
  const feeds = new Map<string, Promise<IndexFeedHandle>>();
  const eachFeed = (action: (feed: IndexFeedHandle) => unknown): void => {
    for (const feed of feeds.values()) void feed.then(action, () => undefined);
  };
  const loading = new Map<string, Promise<Entry>>();
  const retiring = new Map<string, Promise<void>>();
  /** hasLocalChanges of documents not loaded. */
  const known = new Map<string, boolean>();
  /** Server refusals; sticky until the user opens the document again. */
  const errors = new Map<string, SyncErrorReason>();
  /** V3: documents whose edits the server refused as frozen; until an ack covers them. */
  const parked = new Set<string>();
  const queue: string[] = [];
  const round = new ProgressRound();
  /** E9: documents this device created that the server has not acknowledged yet. */
  const createIntents = new Set<string>();
  const saveCreateIntents = (): Promise<void> => store.putSetting(CREATE_INTENTS_SETTING, [...createIntents].sort());
  const listeners = new Set<(event: SyncEvent) => void>();
  let starting = 0;
  const closing = new Set<Promise<void>>();
  let simulatedOffline = false;
  let signedOut = false;
  let destroyed = false;
  let initialized = false;

  const emit = (event: SyncEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener must not stop sync for the others.
      }
    }
  };

  function computeStatus(docId: string): DocStatus {
    const error = errors.get(docId);
    if (error !== undefined) return { state: 'error', reason: error };
    const entry = entries.get(docId);
    if (parked.has(docId) && entry?.covered !== true) return { state: 'error', reason: 'frozen' };
    if (entry !== undefined) {
      const storageError = entry.persistence.error;
      if (storageError !== null) return { state: 'error', reason: storageError };
      if (entry.covered) return { state: 'saved' };
      if (signedOut) return { state: 'error', reason: 'signed-out' };
      return entry.conn?.connected === true ? { state: 'sending' } : { state: 'local' };
    }
    // Before the stored documents are read, "saved" would be a guess.
    if (!initialized) return { state: 'local' };
    if (known.get(docId) !== true) return { state: 'saved' };
    return signedOut ? { state: 'error', reason: 'signed-out' } : { state: 'local' };
  }

  function notify(docId: string): void {
    const status = computeStatus(docId);
    if (round.record(docId, status)) emit({ type: 'status', docId, status });
  }

  const notifyAll = (): void => {
    for (const docId of new Set([...entries.keys(), ...known.keys(), ...errors.keys(), ...parked])) notify(docId);
  };

  const connectivity = new ConnectivityTracker({
    serverUrl: opts.serverUrl,
    fetchImpl,
    now,
    onChange: (next, previous) => {
      emit({ type: 'connectivity', connectivity: next });
      // One socket got through: the others need not sit out their backoff.
      if (next === 'online' && previous !== 'online') retryWaiting();
    },
  });
  // A hidden tab has timers throttled anyway; its next `visibilitychange` wakes the beat.
  const isVisible = opts.isVisible ?? (() => (globalThis as { document?: Document }).document?.visibilityState !== 'hidden');
  const watchTiming = opts.connectivityWatch === undefined ? defaultWatchTiming : opts.connectivityWatch;
  // Y1: the health beat; started once the stored documents are known (`ready`).
  const watch =
    watchTiming === null
      ? null
      : new ConnectivityWatch({
          timing: watchTiming,
          probe: (timeoutMs) => connectivity.probe(timeoutMs),
          onAnswer: (answer) => setConnectivity(answer),
          active: () => !destroyed && !simulatedOffline && isVisible(),
        });
  const setConnectivity = (next: Connectivity): void => connectivity.set(next);

  const mayConnect = (): boolean => !destroyed && !simulatedOffline && !signedOut;
  const socketCount = (): number => {
    let n = starting + closing.size;
    for (const entry of entries.values()) if (entry.conn !== null) n++;
    return n;
  };
  /** Unloading a document whose updates did not reach IndexedDB would lose them. */
  const mayUnload = (entry: Entry): boolean => entry.covered || entry.persistence.error === null;

  async function load(docId: string): Promise<Entry> {
    const existing = entries.get(docId);
    if (existing !== undefined) return existing;
    const inFlight = loading.get(docId);
    if (inFlight !== undefined) return inFlight;
    const promise = (async () => {
      await retiring.get(docId);
      const doc = new Y.Doc();
      let persistence: DocPersistence;
      try {
        persistence = await DocPersistence.bind(store, docId, doc, {
          ...(opts.compactAfter !== undefined ? { compactAfter: opts.compactAfter } : {}),
          onErrorChange: () => notify(docId),
        });
      } catch (error) {
        doc.destroy();
        throw toLocalStoreError(error);
      }
      let acked: Y.Snapshot | null = null;
      const stored = persistence.state.ackedSnapshot;
      if (stored !== null) {
        try {
          acked = Y.decodeSnapshot(stored);
        } catch {
          acked = null; // An unreadable ack only means we send once more.
        }
      }
      const entry: Entry = {
        docId,
        doc,
        awareness: new Awareness(doc),
        persistence,
        conn: null,
        openCount: 0,
        acked,
        covered: isCovered(acked, doc),
        recheckQueued: false,
      };
      doc.on('update', (_update: Uint8Array, origin: unknown) => onDocUpdate(entry, origin));
      entries.set(docId, entry);
      known.delete(docId);
      return entry;
    })().finally(() => loading.delete(docId));
    loading.set(docId, promise);
    return promise;
  }

  function onDocUpdate(entry: Entry, origin: unknown): void {
    if (entry.conn !== null && origin === entry.conn.provider) {
      // A server update may already be durable (ack sent before the broadcast): check it.
      if (!entry.recheckQueued) {
        entry.recheckQueued = true;
        queueMicrotask(() => {
          entry.recheckQueued = false;
          if (entries.get(entry.docId) !== entry) return;
          entry.covered = isCovered(entry.acked, entry.doc);
          notify(entry.docId);
          if (entry.covered) onCovered(entry);
        });
      }
      return;
    }
    if (entry.covered) {
      entry.covered = false;
      notify(entry.docId);
    }
    // A loaded background document without a socket (its storage failed, so it stayed in
    // memory) got a new edit: it needs sending, in its turn.
    if (entry.conn === null && entry.openCount === 0 && !queue.includes(entry.docId)) {
      queue.push(entry.docId);
      pump();
    }
  }

  function onAck(entry: Entry, durable: Y.Snapshot): void {
    if (entries.get(entry.docId) !== entry) return;
    entry.acked = durable;
    entry.covered = isCovered(durable, entry.doc);
    // E9: an ack means the server has the document: no more create intent needed.
    if (createIntents.delete(entry.docId)) void saveCreateIntents().catch(() => undefined);
    entry.persistence.recordAck(Y.encodeSnapshot(durable), entry.covered);
    if (entry.covered) parked.delete(entry.docId);
    notify(entry.docId);
    if (entry.covered) onCovered(entry);
  }

  function onCovered(entry: Entry): void {
    if (entry.openCount === 0) {
      retire(entry, false);
      pump();
    }
  }

  /**
   * V3: nothing of this document's local edits was applied. They stay on the device (never
   * lost) and are not shown as saved; a background upload lets go until the document is
   * editable again, an open one keeps its connection's slow retry.
   */
  function onFrozen(entry: Entry, reason: FrozenReason): void {
    if (entries.get(entry.docId) !== entry || reason !== 'document-frozen') return;
    parked.add(entry.docId);
    if (entry.openCount === 0 && mayUnload(entry)) retire(entry, false);
    notify(entry.docId);
    pump();
  }

  function onStop(entry: Entry, reason: ConnectionStop): void {
    if (reason === 'signed-out') {
      signedOut = true;
      dropConnection(entry);
      for (const other of entries.values()) dropConnection(other);
      notifyAll();
      return;
    }
    errors.set(entry.docId, reason);
    dropConnection(entry);
    if (entry.openCount === 0 && mayUnload(entry)) retire(entry, false);
    notify(entry.docId);
    pump();
  }

  function dropConnection(entry: Entry): void {
    if (entry.conn === null) return;
    // A closing socket still counts against maxSockets until the handshake is done.
    const closed = entry.conn.destroy().then(() => {
      closing.delete(closed);
      pump();
    });
    closing.add(closed);
    entry.conn = null;
  }

  function connect(entry: Entry, preempt: boolean): void {
    if (!mayConnect() || entry.conn !== null || errors.has(entry.docId)) return;
    if (preempt && socketCount() >= maxSockets) {
      // The document on screen goes first; a background upload waits its turn again.
      const victim = [...entries.values()].find((e) => e.openCount === 0 && e.conn !== null && mayUnload(e));
      if (victim !== undefined) retire(victim, true);
    }
    const conn = new DocConnection({
      syncUrl,
      room: docRoom(entry.docId),
      doc: entry.doc,
      awareness: entry.awareness,
      tokens,
      WebSocketImpl,
      backoff,
      random,
      mayConnect,
      onAck: (durable) => onAck(entry, durable),
      onOpen: () => {
        setConnectivity('online');
        notify(entry.docId);
      },
      onClose: ({ code, opened }) => {
        if (code < 4000) {
          // Never got through: the server is unreachable. Dropped after opening: ask again.
          if (!opened) setConnectivity('offline');
          else void checkConnectivity();
        }
        notify(entry.docId);
      },
      onStop: (reason) => onStop(entry, reason),
      onFrozen: (reason) => onFrozen(entry, reason),
      // E9: marked as created here, or holding local edits the server never acknowledged (a
      // document an app version before E9 made offline: only the device's own work looks like that,
      // since a link to an unknown document no longer opens one).
      createIntent: () => createIntents.has(entry.docId) || (entry.acked === null && !entry.covered),
    });
    entry.conn = conn;
    conn.start();
  }

  function retire(entry: Entry, requeue: boolean): void {
    if (entries.get(entry.docId) !== entry) return;
    entries.delete(entry.docId);
    dropConnection(entry);
    known.set(entry.docId, !entry.covered);
    if (requeue && !entry.covered && !queue.includes(entry.docId)) queue.unshift(entry.docId);
    const done = (async () => {
      await entry.persistence.destroy();
      entry.awareness.destroy();
      entry.doc.destroy();
    })().finally(() => retiring.delete(entry.docId));
    retiring.set(entry.docId, done);
    notify(entry.docId);
  }

  function pump(): void {
    while (mayConnect() && queue.length > 0 && socketCount() < maxSockets) {
      const docId = queue.shift()!;
      if (errors.has(docId)) continue;
      const loaded = entries.get(docId);
      if (loaded !== undefined) {
        connect(loaded, false);
        continue;
      }
      starting++;
      load(docId).then(
        (entry) => {
          starting--;
          if (entry.covered && entry.openCount === 0) retire(entry, false);
          else if (!mayConnect() && entry.openCount === 0 && mayUnload(entry)) retire(entry, true);
          else connect(entry, false);
          pump();
        },
        (error: unknown) => {
          starting--;
          errors.set(docId, toLocalStoreError(error).reason);
          notify(docId);
          pump();
        },
      );
    }
  }

  function retryWaiting(): void {
    for (const entry of entries.values()) entry.conn?.retryNow();
    // Y2: the lists too, so a list screen is live again as soon as the server answers.
    eachFeed((feed) => feed.retryNow());
  }

  async function checkConnectivity(): Promise<Connectivity> {
    if (simulatedOffline || destroyed) return connectivity.state;
    const answer = await connectivity.probe();
    // A network cut simulated meanwhile wins over an answer that was already on its way.
    if (!simulatedOffline && !destroyed) setConnectivity(answer);
    return connectivity.state;
  }

  function reconnect(): void {
    if (destroyed || simulatedOffline) return;
    if (signedOut && tokens.accessToken() !== null) {
      // A new login gave us tokens again.
      signedOut = false;
      notifyAll();
    }
    for (const entry of entries.values()) {
      entry.persistence.retry();
      if (entry.openCount > 0 || !entry.covered) connect(entry, false);
    }
    retryWaiting();
    pump();
    // Y1: a wake (tab visible again, `online`) asks at once and restarts the beat.
    if (watch !== null) watch.start();
    else void checkConnectivity();
  }

  const ready = (async () => {
    try {
      const ids = await store.listDocIds();
      const states = await Promise.all(ids.map((id) => store.getDocState(id)));
      await loadCreateIntents();
      ids.forEach((docId, i) => {
        // Index rooms share the store (their cached lists) but are never uploaded.
        if (!isUuid(docId) || entries.has(docId) || loading.has(docId)) return;
        // Updates without a state row predate the flag: assume they were never sent.
        const dirty = states[i]?.hasLocalChanges ?? true;
        known.set(docId, dirty);
        if (dirty && !queue.includes(docId)) queue.push(docId);
      });
    } catch {
      // The store cannot be read: open() reports it per document; background sync waits.
    }
    initialized = true;
    notifyAll();
    pump();
    if (watch !== null) watch.start();
    else void checkConnectivity();
  })();

  /** E9: the intents kept on the device (ids of documents created here, not acknowledged yet). */
  async function loadCreateIntents(): Promise<void> {
    const stored = await store.getSetting(CREATE_INTENTS_SETTING);
    if (!Array.isArray(stored)) return;
    for (const id of stored) if (typeof id === 'string' && isUuid(id)) createIntents.add(id);
  }

  const unsubscribeWake = opts.wake?.subscribe(reconnect);

  return {
    get connectivity() {
      return connectivity.state;
    },
    get lastContactAt() {
      return connectivity.lastContactAt;
    },
    ready: () => ready,

    async open(docId) {
      await ready;
      if (destroyed) throw new Error('sync manager destroyed');
      // The user asks again: a refusal may have been lifted meanwhile.
      errors.delete(docId);
      const entry = await load(docId);
      entry.openCount++;
      entry.awareness.setLocalState(entry.awareness.getLocalState() ?? {});
      const queued = queue.indexOf(docId);
      if (queued >= 0) queue.splice(queued, 1);
      connect(entry, true);
      entry.conn?.retryNow();
      notify(docId);
      return entry.doc;
    },

    async markCreatedHere(docId) {
      await ready;
      if (createIntents.has(docId)) return;
      createIntents.add(docId);
      await saveCreateIntents();
    },

    createdHere: (docId) => createIntents.has(docId),

    close(docId) {
      const entry = entries.get(docId);
      if (entry === undefined || entry.openCount === 0) return;
      entry.openCount--;
      if (entry.openCount > 0) return;
      // Nobody looks at it any more: no presence to show.
      entry.awareness.setLocalState(null);
      if (entry.covered) retire(entry, false);
      else if (entry.conn !== null && socketCount() <= maxSockets) {
        // Stays connected as a background upload until its ack arrives.
      } else if (mayUnload(entry)) retire(entry, !errors.has(docId));
      pump();
    },

    status: computeStatus,

    whenSavedLocally(docId) {
      return entries.get(docId)?.persistence.whenSaved() ?? Promise.resolve();
    },

    awareness: (docId) => entries.get(docId)?.awareness ?? null,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    progress: () => round.progress(),

    unsavedDocIds() {
      const ids = new Set([...entries.keys(), ...known.keys(), ...errors.keys(), ...parked]);
      return [...ids].filter((docId) => computeStatus(docId).state !== 'saved').sort();
    },

    reconnect,
    checkConnectivity,

    editable(docId) {
      if (!parked.has(docId) || destroyed) return;
      const entry = entries.get(docId);
      if (entry !== undefined) {
        if (entry.conn === null) connect(entry, false);
        else entry.conn.retryNow();
        return;
      }
      if (!queue.includes(docId)) queue.push(docId);
      pump();
    },

    openIndex(room) {
      if (destroyed) return Promise.reject(new Error('sync manager destroyed'));
      let feed = feeds.get(room);
      if (feed === undefined) {
        feed = IndexFeedHandle.open({
          room,
          syncUrl,
          store,
          tokens,
          WebSocketImpl,
          backoff,
          random,
          mayConnect,
          onReachable: () => setConnectivity('online'),
          // Y2: a list socket that closed says nothing certain: ask the server.
          onUnreachable: () => void checkConnectivity(),
        });
        feeds.set(room, feed);
        feed.catch(() => feeds.delete(room));
      }
      return feed;
    },

    setOffline(offline) {
      if (destroyed || offline === simulatedOffline) return;
      simulatedOffline = offline;
      if (offline) {
        for (const entry of [...entries.values()]) {
          if (entry.openCount === 0 && mayUnload(entry)) retire(entry, true);
          else dropConnection(entry);
        }
        eachFeed((feed) => feed.disconnect());
        setConnectivity('offline');
        notifyAll();
        return;
      }
      setConnectivity('unknown');
      eachFeed((feed) => feed.connect());
      for (const entry of entries.values()) connect(entry, false);
      pump();
      if (watch !== null) watch.start();
      else void checkConnectivity();
    },

    async destroy() {
      if (destroyed) return;
      destroyed = true;
      watch?.stop();
      unsubscribeWake?.();
      await ready;
      await Promise.allSettled([...loading.values()]);
      const openFeeds = await Promise.allSettled([...feeds.values()]);
      feeds.clear();
      await Promise.all(openFeeds.map((f) => (f.status === 'fulfilled' ? f.value.destroy() : Promise.resolve())));
      const all = [...entries.values()];
      entries.clear();
      for (const entry of all) dropConnection(entry);
      await Promise.all(all.map((entry) => entry.persistence.destroy()));
      for (const entry of all) {
        entry.awareness.destroy();
        entry.doc.destroy();
      }
      await Promise.all([...retiring.values(), ...closing]);
      listeners.clear();
    },
  };
}

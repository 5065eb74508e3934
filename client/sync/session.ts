// A signed-in user on this device: their own LocalStore (D1), tokens, sync manager and action
// queue, wired together. Sign-out refuses while work has not reached the server, unless forced,
// and then deletes the user's local database; a revoked sign-in wipes it only when nothing is lost.
import { createUploadQueue, type UploadQueue } from '../attachments/upload-queue';
import { openDexieLocalStore } from '../store/dexie-local-store';
import type { LocalStore } from '../store/local-store';
import { createActionQueue, type ActionQueue } from './action-queue';
import { AuthClient, login, type AuthUser, type DeviceReport, type FetchLike, type LoginResult } from './auth-client';
import { redeemTicket } from './oidc-client';
import type { BackoffOptions } from './backoff';
import { requestPersistentStorage, type StorageManagerLike, type StoragePersistence } from './storage-persistence';
import { createSyncManager, type SyncManager } from './sync-manager';
import type { WakeSource } from './wake-source';

export interface SessionOptions {
  /** `http(s)://host:port` */
  serverUrl: string;
  fetchImpl?: FetchLike;
  WebSocketImpl?: typeof WebSocket;
  wake?: WakeSource;
  maxSockets?: number;
  /** Default: the user's Dexie database `keukentafel-<userId>`. */
  openStore?: (userId: string) => Promise<LocalStore>;
  /** Default: `navigator.storage`. */
  storageManager?: StorageManagerLike;
  /** B6: the app's version, reported at sign-in and refresh. */
  appVersion?: string;
  random?: () => number;
  now?: () => number;
  backoff?: BackoffOptions;
}

export type SignOutResult =
  /** `endSessionUrl` (I6): the IdP's end of session, where the browser goes next; null for none. */
  | { ok: true; endSessionUrl: string | null }
  | { ok: false; unsavedDocIds: string[]; pendingActions: number };

export interface Session {
  readonly user: AuthUser;
  readonly store: LocalStore;
  readonly auth: AuthClient;
  readonly sync: SyncManager;
  readonly actions: ActionQueue;
  /** F24: attachments' durable uploads (bytes and state in `store`). */
  readonly attachments: UploadQueue;
  /** Whether the browser promised to keep our data; shown at sign-in. */
  readonly storage: StoragePersistence;
  /** Refuses while documents or actions wait for the server, unless `force`; then wipes (D1). */
  signOut(opts?: { force?: boolean }): Promise<SignOutResult>;
  /** Fires when the server ended the sign-in; `wiped` is false when unsent work kept the data. */
  onSignedOut(listener: (info: { wiped: boolean; unsavedDocIds: string[] }) => void): () => void;
  /** Stops sync without wiping (app shutdown, tests). */
  close(): Promise<void>;
}

export type SignInResult =
  /** `deviceProof`: keep it for this user's next sign-in on this device (G1). */
  | { ok: true; session: Session; deviceProof: string | null }
  | { ok: false; reason: 'invalid-credentials' | 'network' | 'server-error' | 'storage-failed' }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

export async function signIn(
  opts: SessionOptions & { username: string; password: string; deviceName: string; deviceProof?: string | null },
): Promise<SignInResult> {
  return establish(opts, await authenticate(opts));
}

/** I2: the municipal sign-in's ticket (from the app's URL fragment), redeemed for a session. */
export async function signInWithTicket(opts: SessionOptions & { ticket: string }): Promise<SignInResult> {
  return establish(opts, await authenticateWithTicket(opts));
}

/** A login the server accepted, before any store is opened (the vault needs a PIN first). */
export type AcceptedLogin = Extract<LoginResult, { ok: true }>;

/**
 * The password login alone: no store is opened or written, so the device vault can take the
 * result, ask for a PIN and only then open the user's store with its codec (`startSignedIn`).
 */
export async function authenticate(
  opts: SessionOptions & { username: string; password: string; deviceName: string; deviceProof?: string | null },
): Promise<LoginResult> {
  // Asked before the login so the server hears the answer with it (B6); startSession asks again,
  // which the browser answers from what it decided now.
  const storage = await requestPersistentStorage(opts.storageManager);
  return login(
    opts.serverUrl,
    {
      username: opts.username,
      password: opts.password,
      deviceName: opts.deviceName,
      ...(opts.deviceProof ? { deviceProof: opts.deviceProof } : {}),
      ...deviceReport(opts, storage),
    },
    opts.fetchImpl,
  );
}

/** The ticket redeem alone (I2); see `authenticate`. */
export function authenticateWithTicket(opts: SessionOptions & { ticket: string }): Promise<LoginResult> {
  return redeemTicket(opts.serverUrl, opts.ticket, opts.fetchImpl);
}

async function establish(opts: SessionOptions, result: LoginResult): Promise<SignInResult> {
  if (!result.ok) return result;
  let store: LocalStore;
  try {
    store = await openStore(opts, result.user.id);
  } catch {
    return { ok: false, reason: 'storage-failed' };
  }
  return startSignedIn(opts, store, result);
}

/** After a login: keeps its tokens in `store` (opened by the caller, with its codec) and starts syncing. */
export async function startSignedIn(opts: SessionOptions, store: LocalStore, result: AcceptedLogin): Promise<SignInResult> {
  let auth: AuthClient;
  try {
    auth = await AuthClient.create(opts.serverUrl, store, result.user, result.tokens, opts.fetchImpl);
  } catch {
    return { ok: false, reason: 'storage-failed' };
  }
  return { ok: true, session: await startSession(opts, store, auth), deviceProof: result.deviceProof };
}

/** On app start, offline too: null when this device holds no sign-in for `userId`. */
export async function resumeSession(opts: SessionOptions & { userId: string }): Promise<Session | null> {
  return resumeWithStore(opts, await openStore(opts, opts.userId));
}

/** `resumeSession` on a store the caller opened (the vault, with its codec, after an unlock). */
export async function resumeWithStore(opts: SessionOptions, store: LocalStore): Promise<Session | null> {
  const auth = await AuthClient.restore(opts.serverUrl, store, opts.fetchImpl);
  return auth === null ? null : startSession(opts, store, auth);
}

function deviceReport(opts: SessionOptions, storage: StoragePersistence): DeviceReport {
  return {
    ...(opts.appVersion === undefined ? {} : { appVersion: opts.appVersion }),
    ...(storage === 'unsupported' ? {} : { storagePersisted: storage === 'persisted' }),
  };
}

function openStore(opts: SessionOptions, userId: string): Promise<LocalStore> {
  return opts.openStore !== undefined ? opts.openStore(userId) : openDexieLocalStore(userId);
}

async function startSession(opts: SessionOptions, store: LocalStore, auth: AuthClient): Promise<Session> {
  const storage = await requestPersistentStorage(opts.storageManager);
  auth.setDeviceReport(deviceReport(opts, storage));
  const shared = {
    serverUrl: opts.serverUrl,
    store,
    tokens: auth,
    ...(opts.fetchImpl !== undefined ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.wake !== undefined ? { wake: opts.wake } : {}),
    ...(opts.random !== undefined ? { random: opts.random } : {}),
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    ...(opts.backoff !== undefined ? { backoff: opts.backoff } : {}),
  };
  const sync = createSyncManager({
    ...shared,
    ...(opts.WebSocketImpl !== undefined ? { WebSocketImpl: opts.WebSocketImpl } : {}),
    ...(opts.maxSockets !== undefined ? { maxSockets: opts.maxSockets } : {}),
  });
  const attachments = createUploadQueue(shared);
  const actions = createActionQueue({
    ...shared,
    isDocSaved: (docId) => {
      const status = sync.status(docId);
      // Without access the server refuses the action anyway; waiting would block the queue.
      if (status.state === 'error' && (status.reason === 'no-access' || status.reason === 'discarded')) return true;
      // F32: a submit waits for the document's attachments too (refused ones do not hold it:
      // the server then says which attachment is missing).
      return status.state === 'saved' && attachments.pendingFor(docId) === 0;
    },
  });
  const unsubscribeSync = sync.subscribe((event) => {
    if ((event.type === 'status' && event.status.state === 'saved') || (event.type === 'connectivity' && event.connectivity === 'online')) {
      void actions.replay();
      void attachments.kick();
    }
  });
  let pendingUploads = -1;
  const unsubscribeUploads = attachments.subscribe(() => {
    const now = attachments.pendingCount();
    if (now < pendingUploads) void actions.replay();
    pendingUploads = now;
  });
  await sync.ready();
  await attachments.ready();
  pendingUploads = attachments.pendingCount();
  void actions.replay();
  void attachments.refreshPolicy().then(() => attachments.kick());

  const signedOutListeners = new Set<(info: { wiped: boolean; unsavedDocIds: string[] }) => void>();
  let closed = false;

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    unsubscribeAuth();
    unsubscribeSync();
    unsubscribeUploads();
    actions.destroy();
    attachments.destroy();
    // A replay under way may still remove or update an action: let it write before the store
    // is closed or its key forgotten (a lock), and flush every document's pending updates.
    await actions.idle();
    await attachments.idle();
    await sync.destroy();
  }

  async function unsentWork(): Promise<{ unsavedDocIds: string[]; pendingActions: number }> {
    // An attachment still on this device leaves its document unsaved (F24): sign-out must not lose it.
    const unsaved = new Set(sync.unsavedDocIds());
    for (const docId of attachments.pendingDocIds()) unsaved.add(docId);
    return { unsavedDocIds: [...unsaved].sort(), pendingActions: (await actions.list()).length };
  }

  async function signOut({ force = false }: { force?: boolean } = {}): Promise<SignOutResult> {
    if (!force) {
      const unsent = await unsentWork();
      if (unsent.unsavedDocIds.length > 0 || unsent.pendingActions > 0) return { ok: false, ...unsent };
    }
    await close();
    // After close: nothing may refresh with the token once the server has revoked it.
    const { endSessionUrl } = await auth.logoutEverywhere();
    await store.destroy();
    return { ok: true, endSessionUrl };
  }

  // D1 says revocation wipes the device. A refresh token that merely expired looks the same to
  // us, so unsent letters keep the database alive until the user signs in again or forces it,
  // unless an admin revoked the device as lost (K23: wipe-now), and chose to lose them.
  const unsubscribeAuth = auth.onSignedOut(() => {
    void (async () => {
      let info: { wiped: boolean; unsavedDocIds: string[] };
      try {
        const unsent = await unsentWork();
        const wiped = auth.revokedWipe === 'wipe-now' || (unsent.unsavedDocIds.length === 0 && unsent.pendingActions === 0);
        if (wiped) await signOut({ force: true });
        info = { wiped, unsavedDocIds: unsent.unsavedDocIds };
      } catch {
        info = { wiped: false, unsavedDocIds: sync.unsavedDocIds() };
      }
      for (const listener of [...signedOutListeners]) {
        try {
          listener(info);
        } catch {
          // A broken listener must not hide the sign-out from the others.
        }
      }
    })();
  });

  return {
    user: auth.user,
    store,
    auth,
    sync,
    actions,
    attachments,
    storage,
    signOut,
    onSignedOut(listener) {
      signedOutListeners.add(listener);
      return () => signedOutListeners.delete(listener);
    },
    close,
  };
}

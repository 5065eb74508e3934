// One room's socket (a document's `doc:<id>`, or an index room): a y-websocket provider, the persisted-ack handler
// (type 100), and what each close code means (S5). y-websocket's own retry is switched off for
// server closes (`shouldReconnect` → false) so that backoff, token refresh and stops live here.
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CloseCode, CloseReason, CREATE_INTENT_PARAM, CREATE_INTENT_VALUE, MessageType } from '../../shared/protocol/messages';
import { readPersistedBody } from '../../shared/protocol/persisted';
import { backoffDelay, type BackoffOptions } from './backoff';
import type { TokenSource } from './auth-client';

/** Why a connection gave up for good; the manager turns these into a status reason. */
export type ConnectionStop = 'no-access' | 'rejected-by-server' | 'too-large' | 'signed-out' | 'discarded';

/** V1/V3: the server refused this device's edits: the document is frozen, or being frozen now. */
export type FrozenReason = 'document-frozen' | 'submit-in-progress';

export interface DocConnectionOptions {
  /** `ws(s)://host:port/sync` */
  syncUrl: string;
  /** Room name: `doc:<id>` or `index:…`. */
  room: string;
  doc: Y.Doc;
  awareness: Awareness;
  tokens: TokenSource;
  WebSocketImpl: typeof WebSocket;
  backoff: BackoffOptions;
  random: () => number;
  /** False while the manager is offline, signed out or destroyed. */
  mayConnect: () => boolean;
  onAck: (durable: Y.Snapshot) => void;
  onOpen: () => void;
  onClose: (info: { code: number; opened: boolean }) => void;
  onStop: (reason: ConnectionStop) => void;
  /** 4409: nothing this device sent was applied; it keeps its edits and retries later (V3). */
  onFrozen?: (reason: FrozenReason) => void;
  /**
   * E9: this device created the document and the server may not know it yet: the sync URL says
   * so (`?intent=create`), the only way a first connection creates a document on the server.
   */
  createIntent?: () => boolean;
}

/** A server that stays unhappy after this many fresh tokens gets backoff, not a refresh loop. */
const MAX_UNAUTHORIZED_STREAK = 3;
/** 4429 means "you are too fast": never come back sooner than this. */
const TOO_MANY_MIN_DELAY_MS = 5_000;
/** A close handshake that takes longer than this is not waited for. */
const CLOSE_WAIT_MS = 3_000;
/** A submit freezes a document within seconds; after that its edits wait for a return. */
const SUBMIT_RETRY_MS = 1_000;
/** A frozen document is tried again this rarely; a return seen in the list retries at once. */
const FROZEN_RETRY_MS = 60_000;

export class DocConnection {
  readonly provider: WebsocketProvider;
  private attempts = 0;
  private unauthorizedStreak = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private opened = false;
  private stopped = false;

  constructor(private readonly opts: DocConnectionOptions) {
    this.provider = new WebsocketProvider(opts.syncUrl, opts.room, opts.doc, {
      connect: false,
      awareness: opts.awareness,
      params: { token: opts.tokens.accessToken() ?? '' },
      WebSocketPolyfill: opts.WebSocketImpl,
      // Cross-tab sync would let content reach a tab without the server checking access, and
      // would hide from the status that nothing reached the server yet.
      disableBc: true,
      shouldReconnect: () => false,
    });
    this.provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
      let durable: Y.Snapshot;
      try {
        durable = readPersistedBody(decoder);
      } catch {
        return; // A garbled ack proves nothing; the next one will.
      }
      this.attempts = 0;
      this.opts.onAck(durable);
    };
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') {
        this.opened = true;
        this.opts.onOpen();
      }
    });
    this.provider.on('sync', (synced) => {
      if (synced) {
        this.attempts = 0;
        this.unauthorizedStreak = 0;
      }
    });
    this.provider.on('closed', ({ code, reason }) => this.handleClose(code, reason));
  }

  get connected(): boolean {
    return this.provider.wsconnected;
  }

  /** Connects now unless a connection is up, or the manager forbids it. */
  start(): void {
    if (this.stopped || !this.opts.mayConnect()) return;
    this.clearTimer();
    const token = this.opts.tokens.accessToken();
    if (token === null) {
      this.stop('signed-out');
      return;
    }
    // `params` is read on every (re)connect, so a refreshed token is picked up here.
    this.provider.params.token = token;
    if (this.opts.createIntent?.() === true) this.provider.params[CREATE_INTENT_PARAM] = CREATE_INTENT_VALUE;
    else delete this.provider.params[CREATE_INTENT_PARAM];
    this.opened = false;
    this.provider.connect();
  }

  /** A wake event: skip the rest of the backoff. */
  retryNow(): void {
    if (this.retryTimer !== null) this.start();
  }

  /** Resolves when the socket is really closed, so the manager can count it until then. */
  destroy(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    const ws = this.provider.ws;
    this.provider.destroy();
    if (ws === null || ws.readyState === ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS);
      ws.addEventListener('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private handleClose(code: number, reason = ''): void {
    const opened = this.opened;
    this.opened = false;
    this.opts.onClose({ code, opened });
    if (this.stopped) return;
    switch (code) {
      case CloseCode.unauthorized:
        void this.reauthorize();
        return;
      case CloseCode.forbidden:
        // E4: a discarded concept says so; anything else is "no access" (unknown or another team's).
        this.stop(reason === CloseReason.documentDiscarded ? 'discarded' : 'no-access');
        return;
      case CloseCode.malformed:
        this.stop('rejected-by-server');
        return;
      case CloseCode.tooLarge:
        this.stop('too-large');
        return;
      case CloseCode.tooManyMessages:
        this.schedule(TOO_MANY_MIN_DELAY_MS);
        return;
      case CloseCode.frozen: {
        const frozen: FrozenReason = reason === CloseReason.submitInProgress ? 'submit-in-progress' : 'document-frozen';
        this.opts.onFrozen?.(frozen);
        if (!this.stopped) this.schedule(frozen === 'submit-in-progress' ? SUBMIT_RETRY_MS : FROZEN_RETRY_MS);
        return;
      }
      default:
        // 4503 (server restarting), 1006 (network), anything unknown: transient.
        this.schedule(0);
    }
  }

  private async reauthorize(): Promise<void> {
    this.unauthorizedStreak++;
    if (this.unauthorizedStreak > MAX_UNAUTHORIZED_STREAK) {
      this.unauthorizedStreak = 0;
      this.schedule(0);
      return;
    }
    const usedToken = this.provider.params.token;
    const current = this.opts.tokens.accessToken();
    // Another socket may have refreshed meanwhile; refreshing again would only rotate once more.
    const result = current !== null && current !== usedToken ? 'ok' : await this.opts.tokens.refresh();
    if (this.stopped) return;
    if (result === 'ok') this.start();
    else if (result === 'revoked') this.stop('signed-out');
    else this.schedule(0);
  }

  private schedule(minDelayMs: number): void {
    this.clearTimer();
    this.attempts++;
    const delay = Math.max(minDelayMs, backoffDelay(this.attempts, this.opts.backoff, this.opts.random));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start();
    }, delay);
  }

  private stop(reason: ConnectionStop): void {
    this.stopped = true;
    this.clearTimer();
    this.provider.disconnect();
    this.opts.onStop(reason);
  }

  private clearTimer(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

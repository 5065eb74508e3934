// Login and token refresh against the server, and the `TokenSource` the sync manager and the
// action queue use. The server rotates refresh tokens (the old one dies on use), so refreshes are
// single-flighted: four sockets closed with 4401 at once must not burn each other's token.
// zod/mini: the same checks in a fraction of the bytes; this module is on the first screen.
import * as z from 'zod/mini';
import { AuthUserSchema, RateLimitedBodySchema, TokenResponseSchema } from '../../shared/protocol/http';
import { OidcLogoutResponseSchema } from '../../shared/protocol/sign-in-options';
import type { JsonValue, LocalStore } from '../store/local-store';
import type { DeviceKeys, WipeMode } from '../vault/types';
import { RefreshRefusedBodySchema } from '../../shared/protocol/device';

export interface AuthUser {
  id: string;
  name: string;
  roles: string[];
  teamId: string;
}

export interface AuthTokens {
  accessToken: string;
  refreshToken: string;
}

export type LoginResult =
  /**
   * `device`: this sign-in's keys for the device vault (issue 13); null only from a server older
   * than the vault, which the app treats as a sign-in it cannot protect (client/vault decides).
   */
  | { ok: true; user: AuthUser; tokens: AuthTokens; deviceProof: string | null; device: DeviceKeys | null }
  | { ok: false; reason: 'invalid-credentials' | 'network' | 'server-error' }
  /** G1: too many failed attempts; the next may pass after this many seconds. */
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

export type RefreshResult = 'ok' | 'network' | 'revoked';

/** B6: what the device says about itself at sign-in and refresh (the administrator's device list). */
export interface DeviceReport {
  appVersion?: string;
  storagePersisted?: boolean;
}

export interface TokenSource {
  accessToken(): string | null;
  refresh(): Promise<RefreshResult>;
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

const userSchema = AuthUserSchema;
const tokenResponseSchema = TokenResponseSchema;
const storedAuthSchema = z.object({
  accessToken: z.nullable(z.string()),
  refreshToken: z.nullable(z.string()),
  user: userSchema,
});

/** Settings key of the tokens in the user's own LocalStore. */
export const AUTH_SETTING = 'auth';
const REQUEST_TIMEOUT_MS = 15_000;

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

export async function postJson(
  fetchImpl: FetchLike,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

export const apiUrl = (serverUrl: string, path: string): string => serverUrl.replace(/\/+$/, '') + path;

export async function login(
  serverUrl: string,
  credentials: { username: string; password: string; deviceName: string; deviceProof?: string } & DeviceReport,
  fetchImpl: FetchLike = defaultFetch,
): Promise<LoginResult> {
  let res: Response;
  try {
    res = await postJson(fetchImpl, apiUrl(serverUrl, '/api/auth/login'), credentials);
  } catch {
    return { ok: false, reason: 'network' };
  }
  if (res.status === 401 || res.status === 400) return { ok: false, reason: 'invalid-credentials' };
  if (res.status === 429) return { ok: false, reason: 'rate-limited', retryAfterSeconds: retryAfter(res, await res.json().catch(() => null)) };
  if (!res.ok) return { ok: false, reason: 'server-error' };
  const parsed = tokenResponseSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, reason: 'server-error' };
  const { accessToken, refreshToken, user, deviceProof, device } = parsed.data;
  return { ok: true, user, tokens: { accessToken, refreshToken }, deviceProof: deviceProof ?? null, device: device ?? null };
}

/** The body's `retryAfterSeconds`, else the `Retry-After` header (seconds), else a minute. */
function retryAfter(res: Response, body: unknown): number {
  const parsed = RateLimitedBodySchema.safeParse(body);
  if (parsed.success) return parsed.data.retryAfterSeconds;
  const header = Number(res.headers.get('retry-after'));
  return Number.isInteger(header) && header > 0 ? header : 60;
}

export class AuthClient implements TokenSource {
  private tokens: AuthTokens | null;
  private inflight: Promise<RefreshResult> | null = null;
  private listeners = new Set<() => void>();
  private report: DeviceReport = {};
  private wipeMode: WipeMode | null = null;

  private constructor(
    private readonly serverUrl: string,
    private readonly store: LocalStore,
    private readonly fetchImpl: FetchLike,
    private currentUser: AuthUser,
    tokens: AuthTokens | null,
  ) {
    this.tokens = tokens;
  }

  /** After a login: keeps the tokens in the user's store so the app can resume offline. */
  static async create(
    serverUrl: string,
    store: LocalStore,
    user: AuthUser,
    tokens: AuthTokens,
    fetchImpl: FetchLike = defaultFetch,
  ): Promise<AuthClient> {
    const client = new AuthClient(serverUrl, store, fetchImpl, user, tokens);
    await client.persist();
    return client;
  }

  /** On app start: null when this device holds no sign-in for the user. */
  static async restore(serverUrl: string, store: LocalStore, fetchImpl: FetchLike = defaultFetch): Promise<AuthClient | null> {
    const parsed = storedAuthSchema.safeParse(await store.getSetting(AUTH_SETTING));
    if (!parsed.success) return null;
    const { accessToken, refreshToken, user } = parsed.data;
    const tokens = accessToken !== null && refreshToken !== null ? { accessToken, refreshToken } : null;
    return new AuthClient(serverUrl, store, fetchImpl, user, tokens);
  }

  get user(): AuthUser {
    return this.currentUser;
  }

  /**
   * K23: the wipe mode the server named when it refused the refresh token (an admin's or SCIM's
   * revocation); null while signed in, and for refusals that chose none (the data is then kept, D1).
   */
  get revokedWipe(): WipeMode | null {
    return this.wipeMode;
  }

  /** True once the server refused the refresh token: only a new login helps. */
  get signedOut(): boolean {
    return this.tokens === null;
  }

  accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  refresh(): Promise<RefreshResult> {
    this.inflight ??= this.doRefresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /**
   * Sign-out on the server: revokes this device's sign-in so a copied token is worthless. Best
   * effort within `timeoutMs`: offline, the device is wiped anyway and the token expires.
   */
  async logout(timeoutMs = 3_000): Promise<'revoked' | 'network'> {
    return (await this.logoutEverywhere(timeoutMs)).answer;
  }

  /**
   * As `logout`, and I6: on a server with municipal sign-in, also the IdP's end-session URL for
   * this device (null when it signed in with a password); the browser goes there after the wipe.
   */
  async logoutEverywhere(timeoutMs = 3_000): Promise<{ answer: 'revoked' | 'network'; endSessionUrl: string | null }> {
    const refreshToken = this.tokens?.refreshToken;
    if (refreshToken === undefined) return { answer: 'revoked', endSessionUrl: null };
    let answer: 'revoked' | 'network' = 'network';
    let endSessionUrl: string | null = null;
    const post = (path: string, body: unknown): Promise<Response> =>
      Promise.race([
        postJson(this.fetchImpl, apiUrl(this.serverUrl, path), body),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
      ]);
    try {
      // Without municipal sign-in the server answers 404 here at once: then the plain sign-out.
      const res = await post('/api/auth/oidc/logout', { refreshToken, returnTo: apiUrl(this.serverUrl, '/') });
      if (res.ok) {
        answer = 'revoked';
        const body = OidcLogoutResponseSchema.safeParse(await res.json().catch(() => null));
        if (body.success) endSessionUrl = body.data.endSessionUrl;
      } else {
        const plain = await post('/api/auth/logout', { refreshToken });
        if (plain.status === 204 || plain.ok) answer = 'revoked';
      }
    } catch {
      // Offline or slow: the wipe goes ahead; the refresh token dies with its expiry.
    }
    this.tokens = null;
    return { answer, endSessionUrl };
  }

  /** B6: sent with every refresh from now on. */
  setDeviceReport(report: DeviceReport): void {
    this.report = { ...report };
  }

  /** Fires when the sign-in ends (refresh token revoked or expired). */
  onSignedOut(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async doRefresh(): Promise<RefreshResult> {
    const refreshToken = this.tokens?.refreshToken;
    if (refreshToken === undefined) return 'revoked';
    let res: Response;
    try {
      res = await postJson(this.fetchImpl, apiUrl(this.serverUrl, '/api/auth/refresh'), { refreshToken, ...this.report });
    } catch {
      return 'network';
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) return 'network';
    if (!res.ok) {
      const refused = RefreshRefusedBodySchema.safeParse(await res.json().catch(() => null));
      this.wipeMode = refused.success ? (refused.data.wipe ?? null) : null;
      this.tokens = null;
      await this.persist().catch(() => undefined);
      for (const listener of [...this.listeners]) listener();
      return 'revoked';
    }
    const parsed = z.extend(tokenResponseSchema, { user: z.optional(userSchema) }).safeParse(await res.json().catch(() => null));
    if (!parsed.success) return 'network';
    this.tokens = { accessToken: parsed.data.accessToken, refreshToken: parsed.data.refreshToken };
    if (parsed.data.user !== undefined) this.currentUser = parsed.data.user;
    // The old refresh token is dead now; a failed write only costs a new login after a restart.
    await this.persist().catch(() => undefined);
    return 'ok';
  }

  private async persist(): Promise<void> {
    const value: JsonValue = {
      accessToken: this.tokens?.accessToken ?? null,
      refreshToken: this.tokens?.refreshToken ?? null,
      user: { ...this.currentUser, roles: [...this.currentUser.roles] },
    };
    await this.store.putSetting(AUTH_SETTING, value);
  }
}

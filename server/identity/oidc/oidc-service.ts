// Municipal sign-in (I2–I7): starts the code flow with PKCE, finishes it into the app's own
// device and token pair, asks the IdP again on every refresh, and ends device sessions on the
// IdP's logout. HTTP stays in oidc-routes.ts; the protocol in idp-client.ts.
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import type { AuthService, IssuedDeviceKeys, TokenPair } from '../../auth/auth-service';
import type { AccountStore, IdentityLinkStore } from '../../store/types';
import type { OidcFailure } from '../../../shared/protocol/sign-in-options';
import { profileFromClaims } from './claims';
import type { OidcConfig } from './config';
import type { IdpClient } from './idp-client';
import { createOneTime } from './one-time';
import { resolveUser } from './resolve-user';

export interface OidcEvent {
  kind: 'sign-in' | 'sign-in-failed' | 'user-created' | 'idp-refused' | 'idp-unreachable' | 'idp-logout' | 'logout-token-refused';
  userId: string | null;
  deviceId: string | null;
  /** The browser's address at the callback; null for what happens at a refresh or a back-channel call. */
  address: string | null;
  /** A kebab-case reason or a short description, never a token. */
  detail: string;
}

export interface OidcServiceOptions {
  config: OidcConfig;
  idp: IdpClient;
  store: AccountStore & IdentityLinkStore;
  auth: AuthService;
  now: () => number;
  newId: () => string;
  /** Sign-ins, refusals and logouts, for the log and (once merged) the audit trail. */
  onEvent?: (event: OidcEvent) => Promise<void> | void;
  /** How long a started sign-in may take at the IdP (default 10 minutes). */
  pendingTtlMs?: number;
}

export type FinishResult = { ok: true; ticket: string } | { ok: false; reason: OidcFailure };

export interface OidcService {
  /** The IdP's authorization URL for a new sign-in of this device. */
  start(input: { redirectUri: string; deviceName: string | undefined }): Promise<{ url: URL; state: string }>;
  /** The callback: checks the IdP's answer, makes the user and device, parks the pair under a ticket. */
  /** `boundState`: the state the browser's cookie holds; the callback's must be the same (I2). */
  finish(callbackUrl: URL, address: string, boundState: string | null): Promise<FinishResult>;
  /** The pair a ticket stands for, once; null when unknown, used or older than a minute. */
  redeem(ticket: string): (TokenPair & { device: IssuedDeviceKeys }) | null;
  /** I5: the RefreshCheck of the auth service. */
  checkRefresh(device: { id: string; userId: string }): Promise<boolean>;
  /** I6: the IdP's end-session URL for this device (before its sign-out here). */
  endSessionUrl(deviceId: string, postLogoutRedirectUri: string): Promise<string | null>;
  /** I7: a back-channel logout token; resolves to the devices to close, null for a bad token. */
  backchannelLogout(logoutToken: string): Promise<string[] | null>;
}

interface Pending {
  redirectUri: string;
  codeVerifier: string;
  nonce: string;
  deviceName: string | undefined;
}

const TICKET_TTL_MS = 60_000;
const MAX_PENDING = 10_000;

export function createOidcService(options: OidcServiceOptions): OidcService {
  const { config, idp, store, auth, now, newId } = options;
  // Awaited: when a sign-in or refusal is answered, its audit entry is written (or logged as lost).
  const emit = async (event: OidcEvent): Promise<void> => {
    await options.onEvent?.(event);
  };
  const pending = createOneTime<Pending>({ ttlMs: options.pendingTtlMs ?? 10 * 60_000, max: MAX_PENDING, now });
  const tickets = createOneTime<TokenPair & { device: IssuedDeviceKeys }>({ ttlMs: TICKET_TTL_MS, max: MAX_PENDING, now });
  // I9: every refusal leaves a trace with its reason (and the subject, when there was one).
  const failedAt = (address: string) => async (reason: OidcFailure, detail: string, userId: string | null = null): Promise<FinishResult> => {
    await emit({ kind: 'sign-in-failed', userId, deviceId: null, address, detail: `${reason}: ${detail}` });
    return { ok: false, reason };
  };

  return {
    async start({ redirectUri, deviceName }) {
      const state = client.randomState();
      const entry: Pending = { redirectUri, codeVerifier: client.randomPKCECodeVerifier(), nonce: client.randomNonce(), deviceName };
      const url = await idp.authorizationUrl({ redirectUri, state, nonce: entry.nonce, codeVerifier: entry.codeVerifier });
      pending.put(state, entry);
      return { url, state };
    },

    async finish(callbackUrl, address, boundState) {
      const failed = failedAt(address);
      const state = callbackUrl.searchParams.get('state') ?? '';
      if (state === '' || state !== boundState) return failed('oidc-expired', 'state not bound to this browser');
      const entry = pending.take(state);
      if (entry === null) return failed('oidc-expired', 'unknown, used or expired state');
      const idpError = callbackUrl.searchParams.get('error');
      if (idpError !== null) return failed(idpError === 'access_denied' ? 'oidc-cancelled' : 'oidc-failed', `the IdP answered ${idpError.slice(0, 100)}`);

      let tokens;
      try {
        tokens = await idp.exchangeCode({ callbackUrl, redirectUri: entry.redirectUri, state, nonce: entry.nonce, codeVerifier: entry.codeVerifier });
      } catch (error) {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return failed(error instanceof TypeError ? 'oidc-unreachable' : 'oidc-failed', detail);
      }
      const profile = profileFromClaims(tokens.claims, config);
      if (profile === null) return failed('oidc-failed', 'no usable sub claim');
      const resolved = await resolveUser(store, idp.issuer, profile, newId);
      if (!resolved.ok) return failed(resolved.reason, `subject ${profile.subject}`);
      const pair = await auth.signInDevice(resolved.user.id, entry.deviceName);
      if (pair === null) return failed('user-disabled', `subject ${profile.subject}`, resolved.user.id);
      await store.saveIdpSession({
        deviceId: pair.deviceId,
        userId: resolved.user.id,
        issuer: idp.issuer,
        subject: profile.subject,
        sid: tokens.sid,
        refreshToken: tokens.refreshToken,
        idToken: tokens.idToken,
        createdAt: now(),
      });
      if (resolved.created) await emit({ kind: 'user-created', userId: resolved.user.id, deviceId: null, address, detail: `subject ${profile.subject}` });
      await emit({ kind: 'sign-in', userId: resolved.user.id, deviceId: pair.deviceId, address, detail: 'oidc' });
      const ticket = randomBytes(32).toString('base64url');
      tickets.put(ticket, { accessToken: pair.accessToken, refreshToken: pair.refreshToken, user: pair.user, deviceId: pair.deviceId, device: pair.device });
      return { ok: true, ticket };
    },

    redeem(ticket) {
      return tickets.take(ticket);
    },

    async checkRefresh(device) {
      const session = await store.getIdpSession(device.id);
      // A device signed in with a password: nothing to ask.
      if (session === null) return true;
      // No IdP refresh token (the IdP gave none: see OIDC_SCOPES and offline_access in the README):
      // only a back-channel logout or the app's own expiry ends this sign-in.
      if (session.refreshToken === null) return true;
      const answer = await idp.refresh(session.refreshToken);
      if (answer.ok) {
        await store.updateIdpSession(device.id, { refreshToken: answer.tokens.refreshToken, idToken: answer.tokens.idToken ?? session.idToken });
        // Roles and team follow the IdP: a claim taken away there is taken away here at this refresh.
        // Only from a new ID token: without one there is nothing the IdP said about the person.
        const profile = answer.tokens.idToken === null ? null : profileFromClaims(answer.tokens.claims, config);
        if (profile !== null && profile.subject === session.subject) {
          const resolved = await resolveUser(store, session.issuer, profile, newId);
          if (!resolved.ok) {
            await emit({ kind: 'idp-refused', userId: device.userId, deviceId: device.id, address: null, detail: resolved.reason });
            return false;
          }
        }
        return true;
      }
      if (answer.reason === 'refused') {
        await emit({ kind: 'idp-refused', userId: device.userId, deviceId: device.id, address: null, detail: answer.detail.slice(0, 200) });
        return false;
      }
      // The IdP did not answer: offline work goes on (the app's refresh is what keeps it going);
      // the next refresh asks again. Logged, so a long outage is seen.
      await emit({ kind: 'idp-unreachable', userId: device.userId, deviceId: device.id, address: null, detail: `refresh allowed: ${answer.detail}` });
      return true;
    },

    async endSessionUrl(deviceId, postLogoutRedirectUri) {
      const session = await store.getIdpSession(deviceId);
      if (session === null) return null;
      try {
        const url = await idp.endSessionUrl({ idTokenHint: session.idToken, postLogoutRedirectUri });
        return url?.href ?? null;
      } catch {
        return null;
      }
    },

    async backchannelLogout(logoutToken) {
      const checked = await idp.verifyLogoutToken(logoutToken);
      if (!checked.ok) {
        await emit({ kind: 'logout-token-refused', userId: null, deviceId: null, address: null, detail: checked.detail.slice(0, 200) });
        return null;
      }
      const devices = new Set<string>();
      if (checked.sid !== null) for (const d of await store.listIdpSessionDevices(idp.issuer, { sid: checked.sid })) devices.add(d);
      // Without a sid the IdP means every session of the subject.
      else if (checked.subject !== null) for (const d of await store.listIdpSessionDevices(idp.issuer, { subject: checked.subject })) devices.add(d);
      const t = now();
      for (const deviceId of devices) {
        const device = await store.getDevice(deviceId);
        if (device === null || device.revokedAt !== null) continue;
        await store.revokeDevice(deviceId, t);
        await emit({ kind: 'idp-logout', userId: device.userId, deviceId, address: null, detail: checked.sid !== null ? 'by sid' : 'by subject' });
      }
      return [...devices];
    },
  };
}

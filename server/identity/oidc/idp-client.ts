// The relying party's talk with the municipality's IdP (I2, I5, I6), behind a small interface:
// openid-client 6 does the protocol (discovery, code flow with PKCE, refresh, end session); jose
// checks back-channel logout tokens against the IdP's keys. Discovery happens on first use and is
// retried after a failure, so an IdP that is down at start does not stop the server.
import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isLoopback, type OidcConfig } from './config';

/** What one sign-in or refresh at the IdP gave. */
export interface IdpTokens {
  /** ID token claims, completed from userinfo where it has what the ID token left out. */
  claims: Record<string, unknown>;
  refreshToken: string | null;
  idToken: string | null;
  sid: string | null;
}

export type IdpRefresh =
  | { ok: true; tokens: IdpTokens }
  /** `refused`: the IdP answered no (invalid_grant: disabled, logged out, revoked); `unreachable`: no answer. */
  | { ok: false; reason: 'refused' | 'unreachable'; detail: string };

export type LogoutToken = { ok: true; sid: string | null; subject: string | null } | { ok: false; detail: string };

export interface IdpClient {
  readonly issuer: string;
  authorizationUrl(input: { redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<URL>;
  /** The callback's URL as received; throws when the answer or the tokens do not check out. */
  exchangeCode(input: { callbackUrl: URL; redirectUri: string; state: string; nonce: string; codeVerifier: string }): Promise<IdpTokens>;
  refresh(refreshToken: string): Promise<IdpRefresh>;
  /** RP-initiated logout at the IdP; null when the IdP offers none. */
  endSessionUrl(input: { idTokenHint: string | null; postLogoutRedirectUri: string }): Promise<URL | null>;
  verifyLogoutToken(token: string): Promise<LogoutToken>;
}

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const IDP_TIMEOUT_SECONDS = 10;

export function createIdpClient(config: OidcConfig): IdpClient {
  const issuerUrl = new URL(config.issuer);
  let discovered: Promise<client.Configuration> | undefined;
  let jwks: JWTVerifyGetKey | undefined;
  const configuration = (): Promise<client.Configuration> => {
    discovered ??= client
      .discovery(
        issuerUrl,
        config.clientId,
        config.clientSecret === undefined ? undefined : config.clientSecret,
        config.clientSecret === undefined ? client.None() : client.ClientSecretPost(config.clientSecret),
        // Plain HTTP only for a provider on this machine (checked by readIdentityConfig too).
        // A slow IdP must not hold a refresh past the app's own 15 s request timeout.
        { timeout: IDP_TIMEOUT_SECONDS, ...(isLoopback(issuerUrl.hostname) && issuerUrl.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}) },
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  };

  const readTokens = async (cfg: client.Configuration, response: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): Promise<IdpTokens> => {
    const idClaims: Record<string, unknown> = { ...(response.claims() ?? {}) };
    let claims = idClaims;
    if (cfg.serverMetadata().userinfo_endpoint !== undefined && typeof idClaims.sub === 'string') {
      const info = await client.fetchUserInfo(cfg, response.access_token, idClaims.sub);
      // The ID token is signed; userinfo only fills in what it does not say.
      claims = { ...info, ...idClaims };
    }
    return {
      claims,
      refreshToken: response.refresh_token ?? null,
      idToken: response.id_token ?? null,
      sid: typeof idClaims.sid === 'string' ? idClaims.sid : null,
    };
  };

  return {
    issuer: config.issuer,
    async authorizationUrl({ redirectUri, state, nonce, codeVerifier }) {
      const cfg = await configuration();
      return client.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: config.scopes,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async exchangeCode({ callbackUrl, redirectUri, state, nonce, codeVerifier }) {
      const cfg = await configuration();
      // The token request's redirect_uri is the callback URL without its query: build it from
      // the one the authorization request used, not from this request's Host.
      const current = new URL(redirectUri);
      for (const [key, value] of callbackUrl.searchParams) current.searchParams.append(key, value);
      const response = await client.authorizationCodeGrant(cfg, current, {
        pkceCodeVerifier: codeVerifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      return readTokens(cfg, response);
    },
    async refresh(refreshToken) {
      let cfg: client.Configuration;
      try {
        cfg = await configuration();
      } catch (error) {
        return { ok: false, reason: 'unreachable', detail: describe(error) };
      }
      try {
        const response = await client.refreshTokenGrant(cfg, refreshToken);
        const tokens = await readTokens(cfg, response);
        // Not every IdP rotates its refresh token; without a new one the old one stays.
        return { ok: true, tokens: { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken } };
      } catch (error) {
        // An OAuth error body is the IdP's answer (invalid_grant: disabled, logged out, revoked);
        // anything else (network, 5xx without a body) says nothing about the user.
        if (error instanceof client.ResponseBodyError) return { ok: false, reason: 'refused', detail: error.error };
        return { ok: false, reason: 'unreachable', detail: describe(error) };
      }
    },
    async endSessionUrl({ idTokenHint, postLogoutRedirectUri }) {
      const cfg = await configuration();
      if (cfg.serverMetadata().end_session_endpoint === undefined) return null;
      return client.buildEndSessionUrl(cfg, {
        client_id: config.clientId,
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(idTokenHint === null ? {} : { id_token_hint: idTokenHint }),
      });
    },
    async verifyLogoutToken(token) {
      try {
        const cfg = await configuration();
        const { jwks_uri: jwksUri, issuer } = cfg.serverMetadata();
        if (jwksUri === undefined) return { ok: false, detail: 'the IdP publishes no jwks_uri' };
        jwks ??= createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: IDP_TIMEOUT_SECONDS * 1000 });
        // OpenID Connect Back-Channel Logout 1.0, 2.6: signed by the issuer for this client, an
        // iat, the logout event, a sub or sid, and no nonce (so an ID token cannot pass for one).
        const { payload } = await jwtVerify(token, jwks, { issuer, audience: config.clientId, requiredClaims: ['iat'], maxTokenAge: '5m' });
        const events = payload.events;
        if (typeof events !== 'object' || events === null || !Object.hasOwn(events, BACKCHANNEL_EVENT)) return { ok: false, detail: 'no back-channel logout event' };
        if (payload.nonce !== undefined) return { ok: false, detail: 'a logout token carries no nonce' };
        const sid = typeof payload.sid === 'string' ? payload.sid : null;
        const subject = typeof payload.sub === 'string' ? payload.sub : null;
        if (sid === null && subject === null) return { ok: false, detail: 'neither sid nor sub' };
        return { ok: true, sid, subject };
      } catch (error) {
        return { ok: false, detail: describe(error) };
      }
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

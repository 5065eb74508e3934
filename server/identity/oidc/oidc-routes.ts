// HTTP face of the municipal sign-in (I1, I2, I6, I7); handlers parse, call the OidcService and
// answer. The browser goes GET start → IdP → GET callback → the app at `/#oidc-ticket=…`, and the
// app POSTs that ticket to redeem for its tokens: no token ever stands in a URL or a log line.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/auth-service';
import {
  OidcLogoutRequestSchema,
  OidcRedeemRequestSchema,
  type SignInOptions,
} from '../../../shared/protocol/sign-in-options';
import type { OidcService } from './oidc-service';

export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const STATE_COOKIE = 'kt-oidc-state';
const BODY_LIMIT = 16 * 1024;

export interface OidcRouteOptions {
  /** Null: OIDC_ISSUER not set; the options say so and the other routes answer 404. */
  oidc: OidcService | null;
  auth: AuthService;
  localLogin: boolean;
  /** Devices whose sessions the IdP ended: their sockets close now. */
  onDeviceRevoked: (deviceId: string) => void;
  onError: (error: unknown, context: string) => void;
  /** U5: a sign-out here is one `sign-out` entry, as through POST /api/auth/logout. */
  onSignedOut?: (deviceId: string, address: string) => Promise<void>;
}

export function registerOidcRoutes(app: FastifyInstance, options: OidcRouteOptions): void {
  const { oidc, auth } = options;
  app.get('/api/auth/options', async (_request, reply) => {
    const body: SignInOptions = { local: options.localLogin, oidc: oidc === null ? null : { startUrl: '/api/auth/oidc/start' } };
    return reply.header('Cache-Control', 'no-store').send(body);
  });
  if (oidc === null) return;

  app.get('/api/auth/oidc/start', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const deviceName = typeof query.deviceName === 'string' ? query.deviceName.slice(0, 200) : undefined;
    try {
      const { url, state } = await oidc.start({ redirectUri: `${origin(request)}${OIDC_CALLBACK_PATH}`, deviceName });
      // I2: the state is bound to this browser, so a callback URL fed to another browser (login
      // CSRF: signing the victim in as the attacker) finds no cookie and is refused.
      const secure = request.protocol === 'https' ? '; Secure' : '';
      reply.header('Set-Cookie', `${STATE_COOKIE}=${state}; Path=${OIDC_CALLBACK_PATH}; Max-Age=600; HttpOnly; SameSite=Lax${secure}`);
      return redirect(reply, url.href);
    } catch (error) {
      options.onError(error, 'oidc start: the IdP did not answer discovery');
      return redirect(reply, '/?aanmelden-fout=oidc-unreachable');
    }
  });

  app.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    const callbackUrl = new URL(request.url, 'http://callback.invalid');
    const bound = cookieValue(request.headers.cookie, STATE_COOKIE);
    const result = await oidc.finish(callbackUrl, request.ip, bound);
    reply.header('Set-Cookie', `${STATE_COOKIE}=; Path=${OIDC_CALLBACK_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`);
    // The fragment never reaches a server or a Referer; the app removes it from its URL at once.
    return redirect(reply, result.ok ? `/#oidc-ticket=${result.ticket}` : `/?aanmelden-fout=${result.reason}`);
  });

  app.post('/api/auth/oidc/redeem', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const body = OidcRedeemRequestSchema.safeParse(request.body);
    if (!body.success) return error(reply, 400, 'bad-request');
    const pair = oidc.redeem(body.data.ticket);
    if (pair === null) return error(reply, 401, 'ticket-invalid');
    // The pair's deviceId is for the server's audit trail (U5); the app gets it with its vault's keys (K20).
    const { accessToken, refreshToken, user, device } = pair;
    return reply.code(200).header('Cache-Control', 'no-store').send({ accessToken, refreshToken, user, device });
  });

  // I6: sign-out here (as POST /api/auth/logout), then the IdP's end of session for the browser.
  app.post('/api/auth/oidc/logout', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const body = OidcLogoutRequestSchema.safeParse(request.body);
    if (!body.success) return error(reply, 400, 'bad-request');
    const deviceId = await auth.logout(body.data.refreshToken);
    if (deviceId !== null) {
      options.onDeviceRevoked(deviceId);
      await options.onSignedOut?.(deviceId, request.ip);
    }
    const home = `${origin(request)}/`;
    // Only back to this app: an open redirect through the IdP is refused by keeping the origin.
    const returnTo = body.data.returnTo !== undefined && sameOrigin(body.data.returnTo, home) ? body.data.returnTo : home;
    const endSessionUrl = deviceId === null ? null : await oidc.endSessionUrl(deviceId, returnTo);
    return reply.code(200).header('Cache-Control', 'no-store').send({ endSessionUrl });
  });

  // I7: OpenID Connect Back-Channel Logout 1.0: the IdP POSTs a form with a signed logout_token.
  void app.register((scope, _opts, done) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => {
      done(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')));
    });
    scope.post('/api/auth/oidc/backchannel-logout', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
      const form = request.body instanceof URLSearchParams ? request.body : null;
      const token = form?.get('logout_token') ?? null;
      if (token === null || token.length > 8192) return error(reply, 400, 'invalid_request');
      const devices = await oidc.backchannelLogout(token);
      if (devices === null) return error(reply, 400, 'invalid_request');
      for (const deviceId of devices) options.onDeviceRevoked(deviceId);
      return reply.code(200).header('Cache-Control', 'no-store').send();
    });
    done();
  });
}

/** This server as the browser sees it (behind TRUST_PROXY: the proxy's scheme and host). */
function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return null;
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(302).header('Cache-Control', 'no-store').header('Location', location).send();
}

function error(reply: FastifyReply, status: number, reason: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').send({ error: reason });
}

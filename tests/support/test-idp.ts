// A real OpenID provider in-process (oidc-provider 8.8.1) on 127.0.0.1 for the municipal sign-in
// tests (I1–I9), and a small browser stand-in that drives its dev login and consent pages and its
// logout page over HTTP with a cookie jar. Accounts, their claims and a "disabled" switch are
// the test's to change; a disabled account is unknown to the provider, as a deleted one would be.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpAccount {
  name: string;
  preferred_username: string;
  email?: string;
  roles?: string[];
  groups?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  disabled: Set<string>;
  /** Back-channel logout POSTs the provider answered with an error (our route refused them). */
  backchannelErrors: unknown[];
  /** Registers the app as the provider's client (its URL is known only once it listens). */
  registerApp(appUrl: string): void;
  close(): Promise<void>;
}

export async function startTestIdp(): Promise<TestIdp> {
  let handler: ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => {
    if (handler === null) {
      res.statusCode = 503;
      res.end();
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, IdpAccount>();
  const disabled = new Set<string>();
  const backchannelErrors: unknown[] = [];
  const clientId = 'keukentafel';
  const clientSecret = 'test-geheim-van-de-client-0123456789';

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    disabled,
    backchannelErrors,
    registerApp(appUrl) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [`${appUrl}/api/auth/oidc/callback`],
            post_logout_redirect_uris: [`${appUrl}/`],
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_post',
            backchannel_logout_uri: `${appUrl}/api/auth/oidc/backchannel-logout`,
            backchannel_logout_session_required: true,
          },
        ],
        findAccount(_ctx: unknown, sub: string) {
          const account = accounts.get(sub);
          if (account === undefined || disabled.has(sub)) return Promise.resolve(undefined);
          return Promise.resolve({ accountId: sub, claims: () => ({ sub, ...accounts.get(sub) }) });
        },
        claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'roles', 'groups'], email: ['email'] },
        features: { devInteractions: { enabled: true }, backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: true } },
        // A refresh token for every code grant of a client allowed to refresh (Entra: offline_access).
        issueRefreshToken(_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) {
          return Promise.resolve(client.grantTypeAllowed('refresh_token'));
        },
        pkce: { required: () => true },
        cookies: { keys: ['test-idp-cookie-key'] },
      });
      provider.on('backchannel.error', (...args: unknown[]) => backchannelErrors.push(args));
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser's cookies and redirects, enough for the provider's own pages. */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();
  private stopAt: ((url: URL) => boolean) | null = null;

  /** GET `url` and follow redirects; answers the provider's login and consent pages as `login`. */
  async signIn(url: string, login: string, stopAt?: (url: URL) => boolean): Promise<URL> {
    this.stopAt = stopAt ?? null;
    let next = await this.follow(url, 'GET');
    for (let step = 0; step < 10; step++) {
      const page = next.html;
      const prompt = /name="prompt" value="(login|consent)"/.exec(page ?? '')?.[1];
      if (prompt === undefined) return next.url;
      const action = /<form[^>]*action="([^"]+)"/.exec(page ?? '')?.[1] ?? '';
      const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'wat-dan-ook' } : { prompt };
      next = await this.follow(new URL(action, next.url).href, 'POST', new URLSearchParams(form));
    }
    throw new Error('too many interaction pages');
  }

  /** GET the IdP's end-session URL and confirm "Yes, sign me out"; resolves where the IdP sends the browser. */
  async logoutAtIdp(endSessionUrl: string): Promise<URL> {
    const page = await this.follow(endSessionUrl, 'GET');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.html ?? '')?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(page.html ?? '')?.[1];
    if (xsrf === undefined || action === undefined) throw new Error(`no logout form at ${page.url.href}`);
    return (await this.follow(new URL(action, page.url).href, 'POST', new URLSearchParams({ xsrf, logout: 'yes' }))).url;
  }

  /** Follows redirects until a page (HTML) or a URL outside the provider's pages answers. */
  private async follow(start: string, method: 'GET' | 'POST', body?: URLSearchParams): Promise<{ url: URL; html: string | null }> {
    let url = new URL(start);
    let init: RequestInit = { method, redirect: 'manual', ...(body === undefined ? {} : { body }) };
    for (let hop = 0; hop < 20; hop++) {
      const res = await fetch(url, { ...init, headers: { cookie: this.cookieHeader() } });
      for (const set of res.headers.getSetCookie()) this.keep(set);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        url = new URL(location, url);
        // The app's own landing (`/#oidc-ticket`, `/?aanmelden-fout`) is where a browser would stop.
        if (url.pathname === '/' || this.stopAt?.(url) === true) return { url, html: null };
        init = { method: 'GET', redirect: 'manual' };
        continue;
      }
      const html = (res.headers.get('content-type') ?? '').includes('text/html') ? await res.text() : null;
      if (html === null) await res.body?.cancel();
      return { url, html };
    }
    throw new Error('too many redirects');
  }

  private keep(setCookie: string): void {
    const [pair] = setCookie.split(';');
    const at = pair?.indexOf('=') ?? -1;
    if (pair === undefined || at < 1) return;
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (/expires=Thu, 01 Jan 1970/i.test(setCookie) || value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

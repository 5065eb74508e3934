// One e2e world per test file: the real server in-process serving the built app, one Chromium,
// phone contexts on demand, and everything closed again in afterAll.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer, ServerOptions } from '../../../server/app';
import { DocumentListPage } from '../pages/document-list-page';
import { InboxPage } from '../pages/inbox-page';
import { SignInPage } from '../pages/sign-in-page';
import { startAppServer } from './app-server';
import { launchChromium, newPhoneContext } from './browser';
import { NetworkCut } from './network-cut';

export interface E2EWorld {
  server: RunningServer;
  browser: Browser;
  /** The server directly: devices that keep their network. */
  baseUrl: string;
  /** The server behind a proxy that can cut the network (`setNetwork`). */
  field: NetworkCut;
  newPhone(): Promise<BrowserContext>;
  /** Content-Security-Policy violations any page of this world reported (G3): should stay empty. */
  cspViolations(): string[];
  close(): Promise<void>;
}

/**
 * Records what the browser refuses under the server's CSP: the `securitypolicyviolation` event
 * (through a binding; init scripts are not subject to the page's CSP) and the console's report.
 */
export async function watchCsp(context: BrowserContext, into: string[]): Promise<void> {
  await context.exposeBinding('__ktCspViolation', (_source, text: string) => {
    into.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __ktCspViolation: (text: string) => void }).__ktCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} in ${event.documentURI}`);
    });
  });
  context.on('console', (message) => {
    if (/Content[ -]Security[ -]Policy/i.test(message.text())) into.push(`console: ${message.text()}`);
  });
}

export async function startWorld(options: Partial<ServerOptions> = {}): Promise<E2EWorld> {
  const server = await startAppServer(options);
  const browser = await launchChromium();
  const field = await NetworkCut.start({ host: '127.0.0.1', port: server.port });
  const contexts: BrowserContext[] = [];
  const violations: string[] = [];
  return {
    server,
    browser,
    baseUrl: server.url,
    field,
    async newPhone() {
      const context = await newPhoneContext(browser);
      contexts.push(context);
      await watchCsp(context, violations);
      return context;
    },
    cspViolations() {
      return [...violations];
    },
    async close() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await browser.close().catch(() => undefined);
      await field.close();
      await server.close();
    },
  };
}

/** A page signed in as `username`, on its landing screen (list, or inbox for office users). */
export async function signedIn(context: BrowserContext, baseUrl: string, username: 'veldwerker' | 'kantoor'): Promise<Page> {
  const page = await context.newPage();
  const signIn = new SignInPage(page);
  await signIn.goto(baseUrl);
  await signIn.signIn(username);
  if (username === 'kantoor') await new InboxPage(page).waitForScreen();
  else await new DocumentListPage(page).waitForScreen();
  return page;
}

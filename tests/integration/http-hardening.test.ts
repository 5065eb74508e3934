// HTTP hardening against the real server: security headers on every kind of answer (G3), error
// bodies that name a request id but never the database's text (G4), tokens kept out of the log
// however they are encoded (G5), and HOST choosing the interface (G6, a child server as npm start).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/store/memory/store';
import type { Store } from '../../server/store/types';
import { ErrorBodySchema } from '../../shared/protocol/http';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { login, startTestServer, type TestServer } from '../support/server';

let srv: TestServer | null = null;
let child: ChildServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await srv?.dispose();
  srv = null;
  if (child !== null && child.process.exitCode === null) {
    child.process.kill('SIGTERM');
    await child.exited;
  }
  child = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function collectLog(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** A real store whose user look-up fails as SQLite does when the disk is full. */
function failingStore(): Store {
  const inner = createMemoryStore();
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'findUserByUsername') return () => Promise.reject(new Error('SQLITE_FULL: database or disk is full (users table)'));
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function expectHardened(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'none'");
  expect(csp, what).not.toContain("'unsafe-inline' 'unsafe-eval'");
  expect(csp.split(';').find((d) => d.trim().startsWith('script-src')), what).not.toContain('unsafe');
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('permissions-policy'), what).toContain('camera=()');
  expect(res.headers.get('x-request-id'), what).toMatch(/^[0-9a-f-]{36}$/);
}

describe('HTTP hardening', () => {
  it('[G3] every answer carries CSP, nosniff, no-referrer and Permissions-Policy: app shell, deep link, API, 401, 404, 400, 500; no HSTS without TRUST_PROXY', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'kt-static-'));
    dirs.push(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'export {};');
    srv = await startTestServer({ staticDir, store: failingStore() });
    const answers: [string, Response][] = [
      ['shell', await fetch(`${srv.url}/`)],
      ['asset', await fetch(`${srv.url}/assets/app.js`)],
      ['deep link', await fetch(`${srv.url}/document/abc`)],
      ['health', await fetch(`${srv.url}/api/health`)],
      ['401', await fetch(`${srv.url}/api/templates`)],
      ['404', await fetch(`${srv.url}/api/nothing-here`)],
      ['400', await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })],
      ['500', await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"a","password":"b"}' })],
    ];
    for (const [what, res] of answers) {
      expectHardened(res, what);
      expect(res.headers.get('strict-transport-security'), what).toBeNull();
    }
    expect(answers.map(([, res]) => res.status)).toEqual([200, 200, 200, 200, 401, 404, 400, 500]);
  });

  it('[G3] HSTS only when TRUST_PROXY is set', async () => {
    srv = await startTestServer({ trustProxy: '127.0.0.1' });
    const res = await fetch(`${srv.url}/api/health`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('[G4] a 500 says "internal" with a request id; the database\'s text is only in the log, under that id', async () => {
    const log = collectLog();
    srv = await startTestServer({ store: failingStore(), logLevel: 'info', logStream: log.stream });
    const res = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"kantoor","password":"x"}' });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/SQLITE|disk|users/i);
    const body = ErrorBodySchema.parse(JSON.parse(text));
    expect(body).toEqual({ error: 'internal', requestId: res.headers.get('x-request-id') });
    const line = log
      .text()
      .split('\n')
      .find((l) => l.includes('SQLITE_FULL'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ reqId: body.requestId, level: 50 });
  });

  it('[G4] errors Fastify raises itself answer a kebab-case reason, not its message', async () => {
    srv = await startTestServer();
    const unsupported = await fetch(`${srv.url}/api/health`, { method: 'DELETE' });
    expect(unsupported.status).toBe(404);
    expect(await unsupported.json()).toEqual({ error: 'not-found' });
    const badJson = await fetch(`${srv.url}/api/templates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: 'bad-request' });
    // A URL Fastify cannot decode: no echo of the URL, and the headers all the same.
    const badUrl = await fetch(`${srv.url}/api/documents/%E0%A4%A?token=geheim`);
    expect(badUrl.status).toBe(400);
    expectHardened(badUrl, 'bad url');
    expect(await badUrl.json()).toEqual({ error: 'bad-request' });
  });

  it('[G5] an access token in a percent-encoded `token` parameter, or anywhere in the URL, never reaches the log', async () => {
    const log = collectLog();
    srv = await startTestServer({ logLevel: 'info', logStream: log.stream });
    const session = await login(srv.url, 'kantoor');
    const token = session.accessToken;
    const encoded = token.replace(/\./g, '%2E');
    for (const query of [`%74oken=${token}`, `%74%6f%6b%65%6e=${encoded}`, `TOKEN=${token}`, `other=${encoded}`]) {
      await fetch(`${srv.url}/api/documents/${crypto.randomUUID()}/submissions/1/pdf?${query}`);
    }
    await fetch(`${srv.url}/api/nothing/${token}`);
    const text = log.text();
    expect(text).toContain('/submissions/1/pdf?');
    const [, payload = '', signature = ''] = token.split('.');
    expect(text).not.toContain(signature);
    expect(text).not.toContain(payload);
    expect(text).not.toContain(session.refreshToken);
  });

  it('[G6] HOST chooses the interface: on 127.0.0.2 the server answers there and not on 127.0.0.1', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-host-'));
    dirs.push(dataDir);
    const port = await freePort();
    child = await startChildServer(dataDir, port, { HOST: '127.0.0.2' });
    expect((await fetch(`http://127.0.0.2:${port}/api/health`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  });
});

// N7: the browser's HTTP cache is a copy of its own, on disk in the profile and outside the app's
// encrypted store: every answer of the API that can hold a citizen's or an official's data says
// `Cache-Control: no-store` (a private browser cache may otherwise keep an answer to a request
// with an Authorization header). Real server, real tokens, the GET routes the app calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, openDocument, startTestServer, type TestServer } from '../support/server';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer();
});

afterAll(async () => {
  await srv?.dispose();
});

describe('browser HTTP cache (N7)', () => {
  it('[N7] every GET of the API that answers with data says no-store', async () => {
    const field = await login(srv.url, 'veldwerker');
    const office = await login(srv.url, 'kantoor');
    const admin = await login(srv.url, 'beheerder');
    const { id: docId, client } = await openDocument(srv.url, field.accessToken);
    client.destroy();
    const templates = (await (await fetch(`${srv.url}/api/templates`, { headers: { authorization: `Bearer ${field.accessToken}` } })).json()) as { id: string; version: number }[];
    const first = templates[0]!;
    const routes: [string, string][] = [
      [field.accessToken, '/api/templates'],
      [field.accessToken, `/api/templates/${first.id}/${first.version}`],
      [field.accessToken, `/api/documents/${docId}`],
      [field.accessToken, `/api/documents/${docId}/log`],
      [office.accessToken, '/api/outbox'],
      [admin.accessToken, '/api/audit'],
      [admin.accessToken, '/api/audit?format=csv'],
      [admin.accessToken, '/api/admin/users'],
      [admin.accessToken, `/api/admin/users/${field.user.id}`],
      [admin.accessToken, `/api/admin/users/${field.user.id}/devices`],
      [admin.accessToken, '/api/admin/teams'],
      ['', '/api/auth/options'],
      ['', '/api/does-not-exist'],
    ];
    const answers: string[] = [];
    for (const [token, path] of routes) {
      const res = await fetch(`${srv.url}${path}`, { headers: token === '' ? {} : { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      answers.push(`${path} ${res.status} ${res.headers.get('cache-control') ?? '(none)'}`);
    }
    expect(answers.filter((a) => !/no-store/.test(a))).toEqual([]);
    // The routes answered with data (not refusals), so the check is about real answers.
    expect(answers.filter((a) => / 200 /.test(a)).length).toBe(routes.length - 1);
  });
});

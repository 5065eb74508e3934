// Y1 on the server's side: the app's health beat (every visible device, every 2 s) answers as
// before and does not write a log line per ask; other requests are still logged.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.dispose();
  srv = null;
});

describe('health beat', () => {
  it('[Y1] GET /api/health answers without a log line per request; other routes still log', async () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    srv = await startTestServer({ logLevel: 'info', logStream: stream });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${srv.url}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    }
    await fetch(`${srv.url}/api/templates`);
    const lines = text.split('\n').filter((l) => l.includes('"url"'));
    expect(lines.some((l) => l.includes('/api/templates'))).toBe(true);
    expect(lines.filter((l) => l.includes('/api/health'))).toEqual([]);
  });
});

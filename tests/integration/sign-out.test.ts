// Sign-out on the server (D1): POST /api/auth/logout revokes the device, and what that device
// still has open — its WebSockets — closes at once with 4401 instead of living on until its
// access token expires. Other devices of the same user are not touched.
import { afterEach, describe, expect, it } from 'vitest';
import { login, openRaw, startTestServer, type TestServer } from '../support/server';

let srv: TestServer | null = null;

afterEach(async () => {
  await srv?.close();
  srv = null;
});

describe('sign-out', () => {
  it('[D1] logout closes the revoked device’s sockets with 4401 and leaves the user’s other devices alone', async () => {
    srv = await startTestServer();
    const phone = await login(srv.url, 'veldwerker');
    const tablet = await login(srv.url, 'veldwerker');
    const room = `doc:${crypto.randomUUID()}`;
    const onPhone = openRaw(srv.url, room, phone.accessToken);
    const onTablet = openRaw(srv.url, room, tablet.accessToken);
    // The server speaks first once it has accepted a socket (verified, authorised, room loaded).
    const accepted = (s: typeof onPhone) => new Promise<void>((resolve) => s.socket.once('message', () => resolve()));
    await Promise.all([accepted(onPhone), accepted(onTablet)]);

    const res = await fetch(`${srv.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: phone.refreshToken }),
    });
    expect(res.status).toBe(204);
    expect(await onPhone.closed).toEqual({ code: 4401, reason: 'device-revoked' });

    // The tablet's socket is still open and its access token still works.
    expect(onTablet.socket.readyState).toBe(onTablet.socket.OPEN);
    const health = await fetch(`${srv.url}/api/documents/${room.slice(4)}`, { headers: { authorization: `Bearer ${tablet.accessToken}` } });
    expect(health.status).not.toBe(401);
    // A new connection with the phone's old access token is refused.
    const again = openRaw(srv.url, room, phone.accessToken);
    expect((await again.closed).code).toBe(4401);
    onTablet.socket.close();
  });
});

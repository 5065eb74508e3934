// P4 for devices: GET /api/municipality/logo serves the configured logo with its type and an ETag
// (so the device can revalidate its offline copy), and 204 (no content) when none is configured.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerLogoRoute } from '../../../server/http/logo-route';
import { checkLogo } from '../../../server/pdf/logo';
import { pngWithAlpha } from './png';

describe('the logo route', () => {
  it('[P4] serves the configured logo with its type and ETag, 304 when unchanged, 204 without one', async () => {
    const data = pngWithAlpha(32, 16);
    const logo = await checkLogo(data);
    if (!logo.ok) throw new Error(logo.error);
    const app = Fastify();
    registerLogoRoute(app, logo.logo);
    const ok = await app.inject({ method: 'GET', url: '/api/municipality/logo' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('image/png');
    expect(ok.rawPayload.equals(data)).toBe(true);
    const etag = String(ok.headers.etag);
    const again = await app.inject({ method: 'GET', url: '/api/municipality/logo', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);

    const none = Fastify();
    registerLogoRoute(none, null);
    const missing = await none.inject({ method: 'GET', url: '/api/municipality/logo' });
    expect(missing.statusCode).toBe(204);
    expect(missing.rawPayload.length).toBe(0);
  });
});

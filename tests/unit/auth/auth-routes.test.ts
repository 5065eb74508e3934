// The outside contract of /api/auth/*: status codes and body shapes as scripts rely on them,
// through Fastify's in-process inject (no socket involved), plus the bearer helper.
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthService } from '../../../server/auth/auth-service';
import { bearerClaims, registerAuthRoutes } from '../../../server/http/auth-routes';
import { PASSWORD, createClock, storeWithUsers } from './accounts-fixture';

let app: FastifyInstance;

beforeEach(async () => {
  const store = await storeWithUsers();
  const auth = createAuthService({ store, now: createClock().now });
  app = Fastify();
  registerAuthRoutes(app, auth);
  app.get('/whoami', async (request, reply) => {
    const result = await bearerClaims(request, auth);
    return result.ok ? result.claims : reply.code(401).send({ error: result.reason });
  });
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

function login(body: unknown) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: body as object });
}

describe('POST /api/auth/login', () => {
  it('[G1] 200 with exactly accessToken, refreshToken, user {id, name, roles, teamId} and a deviceProof', async () => {
    const res = await login({ username: 'kantoor', password: PASSWORD, deviceName: 'Laptop' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'deviceProof', 'refreshToken', 'user']);
    expect(body.user).toEqual({ id: 'u-karim', name: 'Karim Kantoor', roles: ['office', 'approver'], teamId: 'centrum' });
  });

  it('401 invalid-credentials for a wrong password or unknown user', async () => {
    for (const body of [{ username: 'kantoor', password: 'fout' }, { username: 'niemand', password: PASSWORD }]) {
      const res = await login(body);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'invalid-credentials' });
    }
  });

  it('400 bad-request for a malformed body: missing fields, wrong types, invalid JSON, not JSON', async () => {
    const responses = await Promise.all([
      login({ username: 'kantoor' }),
      login({ username: 'kantoor', password: 42 }),
      login({ username: '', password: PASSWORD }),
      app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' }),
      app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'kantoor' }),
      app.inject({ method: 'POST', url: '/api/auth/login' }),
    ]);
    for (const res of responses) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'bad-request' });
    }
  });

  it('413 for an oversized body', async () => {
    const res = await login({ username: 'kantoor', password: 'x'.repeat(20_000) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'payload-too-large' });
  });

  it('[G1] 429 with Retry-After and retryAfterSeconds after 5 failures from one address; a device proof from an earlier sign-in still gets in', async () => {
    const first = (await login({ username: 'kantoor', password: PASSWORD })).json<{ deviceProof: string }>();
    for (let i = 0; i < 5; i++) expect((await login({ username: 'kantoor', password: `fout-${i}` })).statusCode).toBe(401);
    const res = await login({ username: 'kantoor', password: PASSWORD });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('900');
    expect(res.json()).toEqual({ error: 'rate-limited', retryAfterSeconds: 900 });
    expect((await login({ username: 'kantoor', password: PASSWORD, deviceProof: first.deviceProof })).statusCode).toBe(200);
  });
});

describe('unexpected failures', () => {
  it('a failing store reaches the app error handler as a 500, not a bad-request', async () => {
    const broken = Fastify({ logger: false });
    const failing = { login: () => Promise.reject(new Error('disk gone')), refresh: () => Promise.reject(new Error('x')), logout: () => Promise.reject(new Error('x')), verifyAccessToken: () => Promise.reject(new Error('x')), verifyAccessTokenForDrain: () => Promise.reject(new Error('x')), signInDevice: () => Promise.reject(new Error('x')) };
    registerAuthRoutes(broken, failing);
    const res = await broken.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a', password: 'b' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).not.toEqual({ error: 'bad-request' });
    await broken.close();
  });
});

describe('POST /api/auth/logout', () => {
  it('[D1] revokes the device: its refresh token and access token stop working; unknown tokens get 204 too', async () => {
    const pair = (await login({ username: 'veldwerker', password: PASSWORD })).json<{ refreshToken: string; accessToken: string }>();
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: pair.refreshToken } });
    expect(out.statusCode).toBe(204);
    const refresh = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: pair.refreshToken } });
    expect(refresh.statusCode).toBe(401);
    const whoami = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${pair.accessToken}` } });
    expect(whoami.json()).toEqual({ error: 'token-invalid' });
    const again = await app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: pair.refreshToken } });
    expect(again.statusCode).toBe(204);
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: 'onbekend' } });
    expect(unknown.statusCode).toBe(204);
    const malformed = await app.inject({ method: 'POST', url: '/api/auth/logout', payload: { token: 1 } });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('POST /api/auth/refresh', () => {
  it('200 with a new pair and the user; the old refresh token then gets 401', async () => {
    const first = (await login({ username: 'veldwerker', password: PASSWORD })).json<{ refreshToken: string }>();
    const res = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: first.refreshToken } });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ accessToken: string; refreshToken: string; user: unknown }>();
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'refreshToken', 'user']);
    expect(body.user).toEqual({ id: 'u-vera', name: 'Vera Veldwerker', roles: ['field'], teamId: 'centrum' });
    expect(body.refreshToken).not.toBe(first.refreshToken);

    const again = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: first.refreshToken } });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ error: 'refresh-token-reused' });
    // Reuse revoked the device: the rotated token is dead as well.
    const rotated = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: body.refreshToken } });
    expect(rotated.json()).toEqual({ error: 'device-revoked' });
  });

  it('401 for an unknown token, 400 for a malformed body', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: 'nee' } });
    expect(unknown.statusCode).toBe(401);
    const malformed = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { token: 'nee' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ error: 'bad-request' });
  });
});

describe('bearerClaims', () => {
  it('reads Authorization: Bearer and returns the claims; missing or bad tokens are refused', async () => {
    const { accessToken } = (await login({ username: 'veldwerker', password: PASSWORD })).json<{ accessToken: string }>();
    const ok = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${accessToken}` } });
    expect(ok.json()).toMatchObject({ userId: 'u-vera', teamId: 'centrum', roles: ['field'] });
    const missing = await app.inject({ method: 'GET', url: '/whoami' });
    expect(missing.json()).toEqual({ error: 'token-missing' });
    const basic = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Basic ${accessToken}` } });
    expect(basic.json()).toEqual({ error: 'token-missing' });
    const bad = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(bad.json()).toEqual({ error: 'token-invalid' });
  });
});

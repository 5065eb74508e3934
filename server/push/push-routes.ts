// Y8, Y9, Y12: the Web Push routes, thin: `GET /api/push/key` (the VAPID public key, no secret),
// and this device's subscription (`GET`, `PUT`, `DELETE /api/push/subscription`, bearer). The
// device comes from the token, so one device can only ever change its own subscription.
import type { FastifyInstance } from 'fastify';
import { PushSubscriptionBody } from '../../shared/protocol/push';
import type { AuthService } from '../auth/auth-service';
import { authorize, jsonAnswer, send } from '../http/replies';
import type { PushStore } from '../store/types';
import { allowedEndpoint, type PushSettings } from './config';

export interface PushRoutesDeps {
  auth: AuthService;
  store: PushStore;
  publicKey: string;
  settings: Pick<PushSettings, 'serviceHosts' | 'allowHttp'>;
  now: () => number;
}

/** A subscription is a few hundred bytes; nothing bigger is read. */
const BODY_LIMIT = 4 * 1024;

export function registerPushRoutes(app: FastifyInstance, deps: PushRoutesDeps): void {
  app.get('/api/push/key', async (_request, reply) => send(reply, jsonAnswer(200, { publicKey: deps.publicKey })));

  app.get('/api/push/subscription', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const row = await deps.store.getPushSubscription(claims.deviceId);
    return send(reply, jsonAnswer(200, { subscribed: row !== null && row.userId === claims.userId }));
  });

  app.put('/api/push/subscription', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const body = PushSubscriptionBody.safeParse(request.body);
    if (!body.success) return send(reply, jsonAnswer(400, { error: 'bad-request' }));
    const { p256dh, auth } = body.data.keys;
    const key = Buffer.from(p256dh, 'base64url');
    if (key.length !== 65 || key[0] !== 0x04 || Buffer.from(auth, 'base64url').length !== 16) {
      return send(reply, jsonAnswer(400, { error: 'bad-request' }));
    }
    if (!allowedEndpoint(body.data.endpoint, deps.settings)) return send(reply, jsonAnswer(422, { error: 'push-service-not-allowed' }));
    await deps.store.savePushSubscription({
      deviceId: claims.deviceId,
      userId: claims.userId,
      endpoint: body.data.endpoint,
      p256dh: key.toString('base64url'),
      auth: Buffer.from(auth, 'base64url').toString('base64url'),
      createdAt: deps.now(),
    });
    return send(reply, jsonAnswer(200, { subscribed: true }));
  });

  app.delete('/api/push/subscription', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    await deps.store.deletePushSubscription(claims.deviceId);
    return send(reply, jsonAnswer(200, { subscribed: false }));
  });
}

// Y8, Y9: the Web Push routes' bodies, checked on both sides. A subscription is what the browser's
// `PushSubscription.toJSON()` gives: the push service's endpoint and the two keys of RFC 8291.
import * as z from 'zod/mini';

/** `GET /api/push/key`: the server's VAPID public key, base64url (65 bytes uncompressed). */
export const PushKeyAnswer = z.object({ publicKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{87}$/)) });
export type PushKeyAnswer = z.infer<typeof PushKeyAnswer>;

const base64url = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max), z.regex(/^[A-Za-z0-9_-]+={0,2}$/));

/** `PUT /api/push/subscription` (bearer): this device's subscription, replacing an earlier one. */
export const PushSubscriptionBody = z.object({
  endpoint: z.string().check(z.minLength(8), z.maxLength(2048)),
  keys: z.object({
    // 65 bytes uncompressed P-256 → 87 characters; 16 bytes → 22.
    p256dh: base64url(87, 90),
    auth: base64url(22, 24),
  }),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

/** `GET /api/push/subscription`: whether this device has one (the app's switch). */
export const PushStatusAnswer = z.object({ subscribed: z.boolean() });
export type PushStatusAnswer = z.infer<typeof PushStatusAnswer>;

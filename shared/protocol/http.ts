// HTTP bodies of sign-in and of errors, as one zod/mini schema each that the client and the
// server both use (zod/mini: the sign-in screen is on the first screen's 100 KB budget).
// Reasons are kebab-case strings; nothing here does I/O.
import * as z from 'zod/mini';
import { DeviceKeysSchema } from './device';

/** B6: what the app says about itself at sign-in and refresh, shown to administrators. */
const deviceReport = {
  appVersion: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  /** Whether `navigator.storage.persist()` was granted; absent when the browser cannot say. */
  storagePersisted: z.optional(z.boolean()),
};

export const LoginRequestSchema = z.object({
  username: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  password: z.string().check(z.minLength(1), z.maxLength(1024)),
  deviceName: z.optional(z.string().check(z.maxLength(200))),
  /** The device proof this device got at its last successful sign-in for this user (G1). */
  deviceProof: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
  ...deviceReport,
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const RefreshRequestSchema = z.object({
  refreshToken: z.string().check(z.minLength(1), z.maxLength(200)),
  ...deviceReport,
});

export const AuthUserSchema = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  roles: z.array(z.string()),
  teamId: z.string().check(z.minLength(1)),
});

/**
 * 200 of login, ticket redeem and refresh. Login adds `deviceProof`; login and ticket redeem add
 * `device` (the vault's keys, issue 13); refresh may leave `user` out.
 */
export const TokenResponseSchema = z.object({
  accessToken: z.string().check(z.minLength(1)),
  refreshToken: z.string().check(z.minLength(1)),
  user: AuthUserSchema,
  deviceProof: z.optional(z.string().check(z.minLength(1))),
  device: z.optional(DeviceKeysSchema),
});

/** 429 of login, next to the `Retry-After` header: how long until the next attempt may pass. */
export const RateLimitedBodySchema = z.object({
  error: z.literal('rate-limited'),
  retryAfterSeconds: z.number().check(z.int(), z.minimum(1)),
});
export type RateLimitedBody = z.infer<typeof RateLimitedBodySchema>;

/**
 * Every error answer: a kebab-case reason a client can act on. A 5xx names the request id under
 * which the server logged what happened; the body never carries the cause's own text (G4).
 */
export const ErrorBodySchema = z.object({
  error: z.string().check(z.minLength(1)),
  requestId: z.optional(z.string()),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

// HTTP bodies of the device vault's server side (issue 13): the keys and lock policy a device gets
// at sign-in, the status question a locked device asks, the recovery of a previous device's key,
// and an admin's revocation with its wipe mode. One zod/mini schema each, used by client and server.
import * as z from 'zod/mini';

export const WipeModeSchema = z.enum(['wipe-now', 'send-then-wipe']);

export const LockPolicySchema = z.object({
  minPinDigits: z.number().check(z.int(), z.minimum(6)),
  maxAttempts: z.number().check(z.int(), z.minimum(1)),
  idleLockMs: z.number().check(z.int(), z.minimum(1)),
  graceDays: z.number().check(z.int(), z.minimum(1)),
  graceWarnDays: z.number().check(z.int(), z.minimum(0)),
});

/** `device` in the answer of a password sign-in and of a ticket redeem (client/vault/types.ts `DeviceKeys`). */
export const DeviceKeysSchema = z.object({
  deviceId: z.string().check(z.minLength(1), z.maxLength(200)),
  statusToken: z.string().check(z.minLength(1), z.maxLength(200)),
  /** base64url of 32 random bytes. */
  recoveryKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
  lockPolicy: LockPolicySchema,
});

/** POST /api/auth/device-status: no bearer token; the status token is the device's only proof. */
export const DeviceStatusRequestSchema = z.object({
  deviceId: z.string().check(z.minLength(1), z.maxLength(200)),
  statusToken: z.string().check(z.minLength(1), z.maxLength(200)),
});

export const DeviceStatusResponseSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('active') }),
  z.object({ state: z.literal('revoked'), wipe: WipeModeSchema }),
]);
export type DeviceStatusResponse = z.infer<typeof DeviceStatusResponseSchema>;

/** POST /api/auth/device-recovery with the NEW device's bearer token. */
export const DeviceRecoveryRequestSchema = z.object({
  previousDeviceId: z.string().check(z.minLength(1), z.maxLength(200)),
});

/**
 * POST /api/auth/device-replaced with the NEW device's bearer token (K28): a sign-in on a device
 * whose vault already existed rewrapped it for the new device keys; the previous device id is
 * revoked and its recovery key forgotten.
 */
export const DeviceReplacedRequestSchema = DeviceRecoveryRequestSchema;

export const DeviceRecoveryResponseSchema = z.object({
  recoveryKey: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)),
});

/** POST /api/admin/devices/:id/revoke; no body (older callers) means wipe-now. */
export const DeviceRevokeRequestSchema = z.object({
  wipe: z.optional(WipeModeSchema),
});

/**
 * 401 of POST /api/auth/refresh. `wipe` (K23) only when an admin or SCIM revoked the device and
 * chose what happens to its unsent work (or its drain period ran out).
 */
export const RefreshRefusedBodySchema = z.object({
  error: z.string(),
  wipe: z.optional(WipeModeSchema),
});

// Bodies of GET /api/health and GET /api/ready (G7, G8), for operators, load balancers and the
// tests; kept apart from the sign-in bodies so the app's first screen does not carry them.
// Reasons are kebab-case strings; nothing here does I/O.
import * as z from 'zod/mini';

export const HealthReason = {
  commitFailed: 'commit-failed',
  diskNearlyFull: 'disk-nearly-full',
  databaseUnavailable: 'database-unavailable',
  stopping: 'stopping',
} as const;
export type HealthReason = (typeof HealthReason)[keyof typeof HealthReason];

/** GET /api/health: 200 `{"status":"ok"}` (the contract), 503 with the first reason found. */
export const HealthBodySchema = z.union([
  z.object({ status: z.literal('ok') }),
  z.object({ status: z.literal('unavailable'), reason: z.enum(Object.values(HealthReason) as [HealthReason, ...HealthReason[]]) }),
]);
export type HealthBody = z.infer<typeof HealthBodySchema>;

/** GET /api/ready: 200 `ready` only while serving; 503 `starting` or `stopping`. */
export const ReadyBodySchema = z.object({ status: z.enum(['ready', 'starting', 'stopping']) });
export type ReadyBody = z.infer<typeof ReadyBodySchema>;

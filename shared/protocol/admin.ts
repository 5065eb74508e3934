// HTTP bodies of the administration API (`/api/admin/*`, role admin, rules B1–B9): users, teams
// and the devices that signed in. One zod/mini schema each, used by the server's handlers and
// the /beheer screens. Reasons are kebab-case strings; nothing here does I/O.
import * as z from 'zod/mini';
import { WipeModeSchema } from './device';

export const ROLES = ['field', 'office', 'approver', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type AdminRole = z.infer<typeof RoleSchema>;

/** B3: a new local password: long enough to resist guessing, short enough to type. */
export const PASSWORD_MIN = 12;
const password = z.string().check(z.minLength(PASSWORD_MIN), z.maxLength(1024));
const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(120));
const roles = z.array(RoleSchema).check(z.maxLength(4));
const functionTitle = z.nullable(z.string().check(z.trim(), z.maxLength(120)));
const teamId = z.string().check(z.minLength(1), z.maxLength(100));

/** Lower-case letters, digits, `.`, `-`, `_`, `@`: what an IdP or a colleague can type on a phone. */
export const UsernameSchema = z.string().check(z.trim(), z.toLowerCase(), z.minLength(2), z.maxLength(100), z.regex(/^[a-z0-9][a-z0-9._@-]*$/));

export const CreateUserRequestSchema = z.object({
  username: UsernameSchema,
  name,
  teamId,
  roles,
  functionTitle: z.optional(functionTitle),
  password,
});
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

/** Absent fields stay as they are; `active: false` deactivates (B4). */
export const UpdateUserRequestSchema = z.object({
  name: z.optional(name),
  teamId: z.optional(teamId),
  roles: z.optional(roles),
  functionTitle: z.optional(functionTitle),
  active: z.optional(z.boolean()),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const ResetPasswordRequestSchema = z.object({ password });

export const TeamRequestSchema = z.object({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)) });

export const AdminUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  teamId: z.string(),
  teamName: z.nullable(z.string()),
  roles: z.array(RoleSchema),
  functionTitle: z.nullable(z.string()),
  active: z.boolean(),
  /** False for accounts without a local password (signed in through the municipality's IdP). */
  localPassword: z.boolean(),
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

export const AdminUserListSchema = z.object({ users: z.array(AdminUserSchema) });

export const AdminTeamSchema = z.object({ id: z.string(), name: z.string(), members: z.number() });
export type AdminTeam = z.infer<typeof AdminTeamSchema>;
export const AdminTeamListSchema = z.object({ teams: z.array(AdminTeamSchema) });

export const AdminDeviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  firstSeenAt: z.number(),
  lastSeenAt: z.number(),
  revokedAt: z.nullable(z.number()),
  appVersion: z.nullable(z.string()),
  storagePersisted: z.nullable(z.boolean()),
  /** K23: how the revocation treats unsent work; null while active or when nobody chose. */
  wipe: z.optional(z.nullable(WipeModeSchema)),
});
export type AdminDevice = z.infer<typeof AdminDeviceSchema>;
export const AdminDeviceListSchema = z.object({ devices: z.array(AdminDeviceSchema) });

/** Refusals the screens explain in Dutch. */
export type AdminRefusal =
  | 'username-taken'
  | 'unknown-team'
  | 'not-found'
  | 'no-local-password'
  | 'last-admin'
  | 'own-account'
  /** A name or function title with characters the letter's fonts cannot print (P9): they are printed under a signature. */
  | 'unprintable';

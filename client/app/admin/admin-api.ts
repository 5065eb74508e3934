// The /beheer screens' calls to `/api/admin/*` (B1–B7): bearer token, one refresh when it expired,
// every answer checked against the shared schema. Refusals come back as Dutch sentences the
// screens show as they are.
import type { WipeMode } from '../../vault/types';
import {
  AdminDeviceListSchema,
  AdminDeviceSchema,
  AdminTeamListSchema,
  AdminTeamSchema,
  AdminUserListSchema,
  AdminUserSchema,
  type AdminDevice,
  type AdminTeam,
  type AdminUser,
  type CreateUserRequest,
  type UpdateUserRequest,
} from '../../../shared/protocol/admin';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';

const TIMEOUT_MS = 15_000;

export type ApiResult<T> = { ok: true; value: T } | { ok: false; message: string };

const refusals: Record<string, string> = {
  'role-required': 'Dit kan alleen een beheerder.',
  'username-taken': 'Deze gebruikersnaam bestaat al. Kies een andere.',
  'unknown-team': 'Dat team bestaat niet (meer). Kies een ander team.',
  'not-found': 'Deze gebruiker of dit apparaat bestaat niet (meer).',
  'no-local-password': 'Dit account meldt zich aan via de gemeente-account en heeft geen eigen wachtwoord in Keukentafel.',
  'last-admin': 'Er moet altijd ten minste één actieve beheerder blijven.',
  'own-account': 'U kunt uw eigen account niet uitschakelen en uzelf de rol beheerder niet afnemen. Vraag een andere beheerder.',
  'bad-request': 'Niet alle velden zijn goed ingevuld.',
  unprintable: 'De naam of de functie bevat tekens die niet in een brief kunnen worden afgedrukt. Pas ze aan.',
};

interface Parser<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

async function request<T>(session: Session, method: string, path: string, parser: Parser<T> | null, body?: unknown): Promise<ApiResult<T>> {
  const send = (): Promise<Response> =>
    fetch(apiUrl(serverUrl(), path), {
      method,
      headers: {
        authorization: `Bearer ${session.auth.accessToken() ?? ''}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  try {
    let res = await send();
    if (res.status === 401 && (await session.auth.refresh()) === 'ok') res = await send();
    if (res.status === 204) return { ok: true, value: null as T };
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const reason = typeof json === 'object' && json !== null && 'error' in json ? String((json).error) : '';
      if (res.status === 401) return { ok: false, message: 'Uw aanmelding is verlopen. Meld u opnieuw aan.' };
      return { ok: false, message: refusals[reason] ?? 'De server gaf een fout. Probeer het zo opnieuw.' };
    }
    if (parser === null) return { ok: true, value: null as T };
    const parsed = parser.safeParse(json);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: 'De server gaf een onverwacht antwoord.' };
  } catch {
    return { ok: false, message: 'Geen verbinding met de server. Beheer werkt alleen met een verbinding.' };
  }
}

const unwrap = <K extends string, T>(key: K, schema: Parser<Record<K, T>>): Parser<T> => ({
  safeParse(input) {
    const parsed = schema.safeParse(input);
    return parsed.success ? { success: true, data: parsed.data[key] } : { success: false };
  },
});

export const listUsers = (s: Session, q: string): Promise<ApiResult<AdminUser[]>> =>
  request(s, 'GET', `/api/admin/users?q=${encodeURIComponent(q)}`, unwrap('users', AdminUserListSchema));
export const getUser = (s: Session, id: string): Promise<ApiResult<AdminUser>> => request(s, 'GET', `/api/admin/users/${encodeURIComponent(id)}`, AdminUserSchema);
export const createUser = (s: Session, body: CreateUserRequest): Promise<ApiResult<AdminUser>> => request(s, 'POST', '/api/admin/users', AdminUserSchema, body);
export const updateUser = (s: Session, id: string, body: UpdateUserRequest): Promise<ApiResult<AdminUser>> =>
  request(s, 'PATCH', `/api/admin/users/${encodeURIComponent(id)}`, AdminUserSchema, body);
export const resetPassword = (s: Session, id: string, password: string): Promise<ApiResult<null>> =>
  request(s, 'POST', `/api/admin/users/${encodeURIComponent(id)}/password`, null, { password });
export const listDevices = (s: Session, userId: string): Promise<ApiResult<AdminDevice[]>> =>
  request(s, 'GET', `/api/admin/users/${encodeURIComponent(userId)}/devices`, unwrap('devices', AdminDeviceListSchema));
/** K23: `wipe` says what the device does with what it has not sent yet. */
export const revokeDevice = (s: Session, id: string, wipe: WipeMode): Promise<ApiResult<AdminDevice>> =>
  request(s, 'POST', `/api/admin/devices/${encodeURIComponent(id)}/revoke`, AdminDeviceSchema, { wipe });
export const listTeams = (s: Session): Promise<ApiResult<AdminTeam[]>> => request(s, 'GET', '/api/admin/teams', unwrap('teams', AdminTeamListSchema));
export const createTeam = (s: Session, name: string): Promise<ApiResult<AdminTeam>> => request(s, 'POST', '/api/admin/teams', AdminTeamSchema, { name });
export const renameTeam = (s: Session, id: string, name: string): Promise<ApiResult<AdminTeam>> =>
  request(s, 'PATCH', `/api/admin/teams/${encodeURIComponent(id)}`, AdminTeamSchema, { name });

/** Dutch names of the roles, as the screens show them. */
export const roleLabels: Record<string, string> = {
  field: 'Veldwerker',
  office: 'Backoffice',
  approver: 'Mag goedkeuren',
  admin: 'Beheerder',
};

export const isAdmin = (session: Session): boolean => session.user.roles.includes('admin');

// A request to this server with the session's bearer token, refreshed once when it had expired.
// The screens' one way to call `/api/*` outside the sync and action queue.
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';

export async function authorizedFetch(session: Session, path: string, init: RequestInit = {}): Promise<Response> {
  const send = (): Promise<Response> =>
    fetch(apiUrl(serverUrl(), path), { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${session.auth.accessToken() ?? ''}` } });
  let res = await send();
  if (res.status === 401 && (await session.auth.refresh()) === 'ok') res = await send();
  return res;
}

// I1, I2: the sign-in options the server offers, and the ticket the municipal sign-in hands back
// in the app's URL fragment, redeemed once for the same token pair a password sign-in gives.
import { TokenResponseSchema } from '../../shared/protocol/http';
import { SignInOptionsSchema, type SignInOptions } from '../../shared/protocol/sign-in-options';
import { apiUrl, postJson, type FetchLike, type LoginResult } from './auth-client';

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/** Null when the server cannot be asked (offline): the screen offers what it always did. */
export async function fetchSignInOptions(serverUrl: string, fetchImpl: FetchLike = defaultFetch): Promise<SignInOptions | null> {
  try {
    const res = await fetchImpl(apiUrl(serverUrl, '/api/auth/options'), { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return null;
    const parsed = SignInOptionsSchema.safeParse(await res.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `invalid-credentials` here: the ticket was used, unknown or older than a minute. */
export async function redeemTicket(serverUrl: string, ticket: string, fetchImpl: FetchLike = defaultFetch): Promise<LoginResult> {
  let res: Response;
  try {
    res = await postJson(fetchImpl, apiUrl(serverUrl, '/api/auth/oidc/redeem'), { ticket });
  } catch {
    return { ok: false, reason: 'network' };
  }
  if (res.status === 401 || res.status === 400) return { ok: false, reason: 'invalid-credentials' };
  if (!res.ok) return { ok: false, reason: 'server-error' };
  const parsed = TokenResponseSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, reason: 'server-error' };
  const { accessToken, refreshToken, user, device } = parsed.data;
  return { ok: true, user, tokens: { accessToken, refreshToken }, deviceProof: null, device: device ?? null };
}

/** Takes `#oidc-ticket=…` out of the address bar (and history) and returns it. */
export function takeTicketFromLocation(location: Location, history: History): string | null {
  const ticket = new URLSearchParams(location.hash.slice(1)).get('oidc-ticket');
  if (ticket === null) return null;
  history.replaceState(history.state, '', location.pathname + location.search);
  return ticket;
}

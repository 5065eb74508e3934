// JWT-ZGW: the bearer token the ZGW APIs take, made fresh for every call (HS256, signed with the
// Applicatie's secret, on the server only). Claims: `iss` and `client_id` (the client id), `iat`,
// and `user_id` / `user_representation` of the official the call is made for, which the DMS
// writes into its audit trail.
import { SignJWT } from 'jose';

/** Who a call is made for: the official who submitted, or the application itself. */
export interface ZgwUser {
  id: string;
  /** Human-readable: the official's name. */
  representation: string;
}

/** For calls that no official asked for (look-ups by the outbox). */
export const SYSTEM_USER: ZgwUser = { id: 'keukentafel', representation: 'Keukentafel (outbox)' };

export async function zgwToken(clientId: string, secret: string, user: ZgwUser, nowMs: number = Date.now()): Promise<string> {
  return new SignJWT({ client_id: clientId, user_id: user.id, user_representation: user.representation })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(clientId)
    .setIssuedAt(Math.floor(nowMs / 1000))
    .sign(new TextEncoder().encode(secret));
}

// Shared plumbing of the JSON routes: bearer-token check with the contract's 401 answer, and
// writing a prepared answer (status + JSON text, never cached). Kept apart so every route
// answers auth failures in one shape.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessClaims, AuthService } from '../auth/auth-service';
import { bearerClaims } from './auth-routes';

/** Status and JSON body, as text so a replay is byte-for-byte the first answer. */
export interface HttpAnswer {
  httpStatus: number;
  body: string;
}

export function jsonAnswer(httpStatus: number, body: unknown): HttpAnswer {
  return { httpStatus, body: JSON.stringify(body) };
}

/** The token's claims, or null after answering 401 with the reason. */
export async function authorize(request: FastifyRequest, reply: FastifyReply, auth: AuthService): Promise<AccessClaims | null> {
  const result = await bearerClaims(request, auth);
  if (result.ok) return result.claims;
  void send(reply.header('WWW-Authenticate', 'Bearer'), jsonAnswer(401, { error: result.reason }));
  return null;
}

export function send(reply: FastifyReply, answer: HttpAnswer): FastifyReply {
  return reply
    .code(answer.httpStatus)
    .header('Cache-Control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(answer.body);
}

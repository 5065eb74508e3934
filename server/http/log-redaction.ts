// Access tokens travel in the WebSocket URL (`?token=`), and Fastify logs request URLs. This
// keeps tokens out of logs: the request serializer replaces the value before it is written.

const TOKEN_PARAM = /([?&]token=)[^&#]*/g;

export function redactUrl(url: string): string {
  return url.replace(TOKEN_PARAM, '$1[verborgen]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

export function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return { method: request.method, url: redactUrl(request.url ?? ''), remoteAddress: request.ip };
}

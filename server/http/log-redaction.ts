// Secrets never reach the log (G5). Access tokens travel in URLs (`?token=` of the sync route
// and the PDF link) and Fastify logs request URLs: each query parameter is decoded the way the
// server reads it before its name is judged, and anything shaped like a JWT is hidden wherever
// it stands. `LOG_REDACT_PATHS` hides secrets that code logs as fields (bodies, headers).

export const REDACTED = '[verborgen]';

/** Parameter names (after decoding, any case) whose value is a secret. */
// `code`, `ticket`: the authorization code of the municipal sign-in callback and its one-time ticket (I2).
const SECRET_NAMES = /^(?:token|access_?token|refresh_?token|id_?token|device_?proof|password|secret|authorization|bearer|code|ticket|logout_?token)$/i;
/** A JWT (access token, device proof): three base64url parts, the first a JSON header. */
const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text; // Malformed escapes: judge the raw text; the server cannot read it as a name either.
  }
}

/** Decoded, a JWT hides inside percent-escapes too: hide the whole part that holds one. */
const holdsJwt = (part: string): boolean => {
  JWT.lastIndex = 0;
  return JWT.test(decode(part)) || JWT.test(part);
};

export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const withoutHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const queryAt = withoutHash.indexOf('?');
  const path = queryAt < 0 ? withoutHash : withoutHash.slice(0, queryAt);
  const safePath = path
    .split('/')
    .map((segment) => (holdsJwt(segment) ? REDACTED : segment))
    .join('/');
  if (queryAt < 0) return safePath;
  const query = withoutHash
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      if (SECRET_NAMES.test(decode(name).trim()) || holdsJwt(value)) return `${name}=${REDACTED}`;
      return holdsJwt(name) ? REDACTED : pair;
    })
    .join('&');
  return `${safePath}?${query}`;
}

/** Free text for the log (an error's message may quote a URL): JWTs and secret parameters hidden. */
export function redactText(text: string): string {
  return decode(text)
    .replace(JWT, REDACTED)
    .replace(/([?&](?:token|access_?token|refresh_?token|device_?proof|password)=)[^&#\s"']*/gi, `$1${REDACTED}`);
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

export function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return { method: request.method, url: redactUrl(request.url ?? ''), remoteAddress: request.ip };
}

/** pino `redact` paths: secrets that code logs as fields, one level deep or at the top. */
export const LOG_REDACT_PATHS = [
  'token',
  'accessToken',
  'refreshToken',
  'deviceProof',
  'password',
  'authorization',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.deviceProof',
  '*.password',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["sec-websocket-protocol"]',
  'headers.authorization',
];

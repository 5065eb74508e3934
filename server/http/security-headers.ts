// Security headers on every answer (G3): a Content-Security-Policy without inline scripts that
// fits the built app (Vite chunks, the service worker, the manifest, same-origin WebSockets),
// nosniff, no referrer, a Permissions-Policy, and HSTS only behind the HTTPS proxy (TRUST_PROXY).
import type { FastifyInstance } from 'fastify';

/**
 * `'self'` covers same-origin `ws:`/`wss:` in CSP 3 (the app talks to its own origin only).
 * Style attributes stay allowed (`style-src-attr`): Preact and ProseMirror set colours and the
 * read-along progress bar through them; `<style>` elements and foreign style sheets do not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * An archived PDF opens in the browser's own viewer, which a document policy may break; it is
 * never HTML (nosniff), so it gets only what keeps it out of frames.
 */
export const PDF_CONTENT_SECURITY_POLICY = "frame-ancestors 'none'";

export const PERMISSIONS_POLICY = 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()';

export const HSTS = 'max-age=31536000';

export interface SecurityHeaderOptions {
  /** Behind an HTTPS reverse proxy (TRUST_PROXY): only then is HSTS sent. */
  behindHttpsProxy: boolean;
}

export function securityHeaders(requestId: string, options: SecurityHeaderOptions): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': PERMISSIONS_POLICY,
    'x-frame-options': 'DENY',
    'x-request-id': requestId,
    ...(options.behindHttpsProxy ? { 'strict-transport-security': HSTS } : {}),
  };
}

export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  // onRequest, not onSend: the headers are on the reply before any route, error handler, static
  // file or not-found answer writes it, so nothing Fastify sends can go out without them.
  // (A URL Fastify cannot decode skips the hooks: `frameworkErrors` in app.ts sets them itself.)
  app.addHook('onRequest', async (request, reply) => {
    void reply.headers(securityHeaders(request.id, options));
    // N7: API answers stay out of the browser's HTTP cache (a copy on disk in the profile,
    // outside the app's encrypted store) unless a route says otherwise (the logo: no-cache).
    if (request.url.startsWith('/api/') || request.url.startsWith('/scim/')) void reply.header('cache-control', 'no-store');
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/pdf')) reply.header('content-security-policy', PDF_CONTENT_SECURITY_POLICY);
    return payload;
  });
}

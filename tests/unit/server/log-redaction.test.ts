// Tokens never reach the log (S5, G5): in a sync or PDF URL however they are encoded, in free
// text, and in the request serializer.
import { describe, expect, it } from 'vitest';
import { redactText, redactUrl, serializeRequest } from '../../../server/http/log-redaction';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';

describe('log redaction', () => {
  it('[S5] hides the access token in a sync URL', () => {
    expect(redactUrl('/sync/doc:abc?token=eyJhbGciOi.x.y')).toBe('/sync/doc:abc?token=[verborgen]');
    expect(redactUrl('/sync/doc:abc?a=1&token=geheim&b=2')).toBe('/sync/doc:abc?a=1&token=[verborgen]&b=2');
    expect(redactUrl('/api/health')).toBe('/api/health');
  });

  it('[G5] judges parameter names after decoding: percent-encoded, upper case, plus-encoded, other secret names', () => {
    for (const url of [
      `/sync/doc:abc?%74oken=geheim`,
      `/sync/doc:abc?%74%6F%6B%65%6E=geheim`,
      `/api/documents/x/submissions/1/pdf?TOKEN=geheim`,
      `/api/x?access_token=geheim`,
      `/api/x?refreshToken=geheim&a=1`,
      `/api/x?a=1&token+=geheim`,
    ]) {
      const logged = redactUrl(url);
      expect(logged, url).not.toContain('geheim');
      expect(logged).toContain('[verborgen]');
    }
    expect(redactUrl('/api/x?a=1&b=2')).toBe('/api/x?a=1&b=2');
  });

  it('[G5] hides a JWT wherever it stands: another parameter, percent-encoded, in the path', () => {
    for (const url of [`/sync/x?t=${JWT}`, `/sync/x?t=${encodeURIComponent(JWT).replace(/\./g, '%2E')}`, `/api/${JWT}/x`, `/api/x?${JWT}`]) {
      expect(redactUrl(url), url).not.toMatch(/eyJ|%65yJ|c2lnbmF0dXJl/);
    }
  });

  it('[G5] free text (an error message quoting a URL) loses its tokens', () => {
    expect(redactText(`Route GET:/sync/x?%74oken=geheim not found, bearer ${JWT}`)).toBe('Route GET:/sync/x?token=[verborgen] not found, bearer [verborgen]');
  });

  it('[S5] the request serializer writes no token', () => {
    const logged = JSON.stringify(serializeRequest({ method: 'GET', url: '/sync/x?%74oken=geheim', ip: '127.0.0.1' }));
    expect(logged).not.toContain('geheim');
  });

  it('[I2] the municipal sign-in callback logs neither its authorization code nor a ticket', () => {
    expect(redactUrl('/api/auth/oidc/callback?code=geheime-code&state=abc&iss=x')).toBe('/api/auth/oidc/callback?code=[verborgen]&state=abc&iss=x');
    expect(redactUrl('/?ticket=geheim')).toBe('/?ticket=[verborgen]');
  });
});

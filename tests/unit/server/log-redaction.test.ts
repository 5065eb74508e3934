// Tokens in WebSocket URLs never reach the log.
import { describe, expect, it } from 'vitest';
import { redactUrl, serializeRequest } from '../../../server/http/log-redaction';

describe('log redaction', () => {
  it('[S5] hides the access token in a sync URL', () => {
    expect(redactUrl('/sync/doc:abc?token=eyJhbGciOi.x.y')).toBe('/sync/doc:abc?token=[verborgen]');
    expect(redactUrl('/sync/doc:abc?a=1&token=geheim&b=2')).toBe('/sync/doc:abc?a=1&token=[verborgen]&b=2');
    expect(redactUrl('/api/health')).toBe('/api/health');
  });

  it('[S5] the request serializer writes no token', () => {
    const logged = JSON.stringify(serializeRequest({ method: 'GET', url: '/sync/x?token=geheim', ip: '127.0.0.1' }));
    expect(logged).not.toContain('geheim');
  });
});

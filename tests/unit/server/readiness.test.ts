// G8 in the small: readiness follows the server's phase. The HTTP server only starts answering
// after the phase is set to ready within the same tick (server/app.ts), so `starting` cannot be
// reached over HTTP in a test; this pins the rule itself: nothing but `ready` says 200.
import { describe, expect, it } from 'vitest';
import { createHealth } from '../../../server/health/health';

describe('readiness (G8)', () => {
  it('[G8] /api/ready is 503 starting until the server says ready, 200 while ready, 503 stopping after', () => {
    const health = createHealth({ dataDir: null, ping: () => Promise.resolve(true) });
    expect(health.ready()).toEqual({ status: 503, body: { status: 'starting' } });
    health.setPhase('ready');
    expect(health.ready()).toEqual({ status: 200, body: { status: 'ready' } });
    health.setPhase('stopping');
    expect(health.ready()).toEqual({ status: 503, body: { status: 'stopping' } });
  });

  it('[G7] [G8] health is 503 stopping while the server stops, whatever the store says', async () => {
    const health = createHealth({ dataDir: null, ping: () => Promise.resolve(true) });
    health.setPhase('ready');
    expect((await health.check()).status).toBe(200);
    health.setPhase('stopping');
    expect(await health.check()).toEqual({ status: 503, body: { status: 'unavailable', reason: 'stopping' } });
  });
});

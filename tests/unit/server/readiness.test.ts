// G8 in the small: readiness follows the server's phase. The HTTP server only starts answering
// after the phase is set to ready within the same tick (server/app.ts), so `starting` cannot be
// reached over HTTP in a test; this pins the rule itself: nothing but `ready` says 200.
import { describe, expect, it } from 'vitest';
import { createHealth, diskWatchedDirs } from '../../../server/health/health';

describe('readiness (G8)', () => {
  it('[G8] /api/ready is 503 starting until the server says ready, 200 while ready, 503 stopping after', () => {
    const health = createHealth({ dirs: [], ping: () => Promise.resolve(true) });
    expect(health.ready()).toEqual({ status: 503, body: { status: 'starting' } });
    health.setPhase('ready');
    expect(health.ready()).toEqual({ status: 200, body: { status: 'ready' } });
    health.setPhase('stopping');
    expect(health.ready()).toEqual({ status: 503, body: { status: 'stopping' } });
  });

  it('[G7] [G8] health is 503 stopping while the server stops, whatever the store says', async () => {
    const health = createHealth({ dirs: [], ping: () => Promise.resolve(true) });
    health.setPhase('ready');
    expect((await health.check()).status).toBe(200);
    health.setPhase('stopping');
    expect(await health.check()).toEqual({ status: 503, body: { status: 'unavailable', reason: 'stopping' } });
  });

  it('[G7] health measures the folders the server writes to: SQLite\'s DATA_DIR, the filesystem DMS\'s drop folder', () => {
    expect(diskWatchedDirs({ dataDir: '/data', databaseUrl: null, dmsDir: '/data/dms' })).toEqual(['/data', '/data/dms']);
    // PostgreSQL writes nothing under DATA_DIR, and nothing creates it.
    expect(diskWatchedDirs({ dataDir: '/data', databaseUrl: 'postgres://db/kt', dmsDir: '/dms' })).toEqual(['/dms']);
    expect(diskWatchedDirs({ dataDir: '/data', databaseUrl: 'postgres://db/kt', dmsDir: null })).toEqual([]);
    expect(diskWatchedDirs({ dataDir: null, dmsDir: null })).toEqual([]);
  });

  it('[G7] every measured folder must keep room: one nearly full folder is enough for 503', async () => {
    const free: Record<string, number> = { '/data': 10_000, '/dms': 10 };
    const health = createHealth({ dirs: ['/data', '/dms'], minFreeBytes: 100, freeBytes: (dir) => Promise.resolve(free[dir] ?? 0), ping: () => Promise.resolve(true) });
    health.setPhase('ready');
    expect(await health.check()).toEqual({ status: 503, body: { status: 'unavailable', reason: 'disk-nearly-full' } });
    free['/dms'] = 1_000;
    expect(await health.check()).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

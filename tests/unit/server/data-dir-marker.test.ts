// G9's decision table on real files in a temp folder: which data dirs start, which refuse.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDataDir, MARKER_FILE, writeMarker } from '../../../server/store/data-dir-marker';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(files: string[], state?: 'running' | 'stopped'): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-marker-unit-'));
  dirs.push(dir);
  for (const file of files) writeFileSync(join(dir, file), '');
  if (state !== undefined) writeMarker(dir, null, state, new Date('2026-12-01T10:00:00Z'));
  return dir;
}

const reason = (dir: string): string => {
  const checked = checkDataDir(dir);
  return checked.ok ? 'ok' : checked.reason;
};

describe('data dir marker', () => {
  it('[G9] starts: empty dir, an older installation without marker, a clean stop without WAL, a crash with its WAL', () => {
    expect(reason(dataDir([]))).toBe('ok');
    expect(reason(dataDir(['keukentafel.sqlite']))).toBe('ok');
    expect(reason(dataDir(['keukentafel.sqlite'], 'stopped'))).toBe('ok');
    expect(reason(dataDir(['keukentafel.sqlite', 'keukentafel.sqlite-wal'], 'running'))).toBe('ok');
  });

  it('[G9] refuses: marker without database, crash without WAL, WAL without database, unreadable marker', () => {
    expect(reason(dataDir([], 'stopped'))).toBe('database-missing');
    expect(reason(dataDir(['keukentafel.sqlite-wal'], 'running'))).toBe('database-missing');
    expect(reason(dataDir(['keukentafel.sqlite'], 'running'))).toBe('wal-missing');
    expect(reason(dataDir(['keukentafel.sqlite-wal']))).toBe('database-missing');
    const broken = dataDir(['keukentafel.sqlite']);
    writeFileSync(join(broken, MARKER_FILE), '{"format":');
    expect(reason(broken)).toBe('marker-unreadable');
  });
});

// DB5: DATABASE_URL and DATABASE_POOL_MAX as the start reads them.
import { describe, expect, it } from 'vitest';
import { readDatabaseSettings } from '../../../server/store/postgres/settings';

describe('database settings', () => {
  it('[DB5] without DATABASE_URL the store stays SQLite; the pool defaults to 10', () => {
    expect(readDatabaseSettings({})).toEqual({ ok: true, settings: { url: null, poolMax: 10 } });
    expect(readDatabaseSettings({ DATABASE_URL: '  ' })).toEqual({ ok: true, settings: { url: null, poolMax: 10 } });
  });

  it('[DB5] postgres:// and postgresql:// are taken, with a pool size', () => {
    for (const url of ['postgres://kt@db/kt', 'postgresql://kt:pw@db:5432/kt']) {
      expect(readDatabaseSettings({ DATABASE_URL: url, DATABASE_POOL_MAX: '25' })).toEqual({ ok: true, settings: { url, poolMax: 25 } });
    }
  });

  it('[DB5] another scheme or a bad pool size stops the start; the message never shows the URL', () => {
    const wrong = readDatabaseSettings({ DATABASE_URL: 'mysql://root:geheim@db/kt' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.error).toContain('postgres://');
      expect(wrong.error).not.toContain('geheim');
    }
    for (const size of ['0', '1.5', 'veel', '1001']) expect(readDatabaseSettings({ DATABASE_POOL_MAX: size }).ok).toBe(false);
  });
});

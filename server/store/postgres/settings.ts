// DATABASE_URL and DATABASE_POOL_MAX (DB5): whether the store is PostgreSQL, and how many
// connections this process may hold. Checked at start so a typo stops it with a clear message
// instead of silently falling back to SQLite.
export interface DatabaseSettings {
  /** postgres://… or postgresql://…; null keeps SQLite under DATA_DIR. */
  url: string | null;
  poolMax: number;
}

export const DEFAULT_POOL_MAX = 10;

export function readDatabaseSettings(env: NodeJS.ProcessEnv): { ok: true; settings: DatabaseSettings } | { ok: false; error: string } {
  const url = env.DATABASE_URL?.trim() || null;
  if (url !== null && !/^postgres(ql)?:\/\/./.test(url)) {
    // The URL may hold a password: name only its scheme.
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? 'none';
    return { ok: false, error: `DATABASE_URL must start with postgres:// or postgresql:// (scheme "${scheme}"); leave it empty for SQLite under DATA_DIR` };
  }
  const poolEnv = env.DATABASE_POOL_MAX?.trim();
  const poolMax = poolEnv ? Number(poolEnv) : DEFAULT_POOL_MAX;
  if (!Number.isInteger(poolMax) || poolMax < 1 || poolMax > 1000) {
    return { ok: false, error: `DATABASE_POOL_MAX must be a whole number of connections from 1 to 1000, got "${poolEnv}"` };
  }
  return { ok: true, settings: { url, poolMax } };
}

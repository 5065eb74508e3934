// DMS configuration from the environment (outside contract): DMS_ADAPTER picks the adapter,
// DMS_DIR the drop folder (default $DATA_DIR/dms), ZGW_RSIN the bronorganisatie. Errors are
// values so main.ts can print them and exit before anything starts.
import { join, resolve } from 'node:path';

export type DmsConfig = { adapter: 'filesystem'; dir: string; bronorganisatie: string | undefined };

export type DmsConfigResult = { ok: true; config: DmsConfig } | { ok: false; error: string };

export function readDmsConfig(env: Record<string, string | undefined>, dataDir: string): DmsConfigResult {
  const adapter = (env.DMS_ADAPTER ?? '').trim() || 'filesystem';
  const rsin = env.ZGW_RSIN?.trim() || undefined;
  if (rsin !== undefined && !/^[0-9]{9}$/.test(rsin)) {
    return { ok: false, error: `ZGW_RSIN must be nine digits, got "${rsin}"` };
  }
  switch (adapter) {
    case 'filesystem':
      return { ok: true, config: { adapter, dir: resolve(env.DMS_DIR?.trim() || join(dataDir, 'dms')), bronorganisatie: rsin } };
    case 'zgw':
      return { ok: false, error: 'DMS_ADAPTER=zgw is not yet supported; use DMS_ADAPTER=filesystem (the default) for now' };
    default:
      return { ok: false, error: `DMS_ADAPTER must be "filesystem" or "zgw", got "${adapter}"` };
  }
}

// DMS configuration from the environment (outside contract): DMS_ADAPTER picks the adapter,
// DMS_DIR the drop folder (default $DATA_DIR/dms), ZGW_RSIN the bronorganisatie; with
// DMS_ADAPTER=zgw the ZGW_* settings (server/dms/zgw/config.ts) and `createAdapter` to build
// the ZGW adapter. Errors are values so main.ts can print them and exit before anything starts.
import { join, resolve } from 'node:path';
import type { DmsAdapter } from './types';
import { createZgwDms } from './zgw/adapter';
import { readZgwConfig, type ZgwConfig } from './zgw/config';

export type DmsConfig =
  | { adapter: 'filesystem'; dir: string; bronorganisatie: string | undefined }
  | {
      adapter: 'zgw';
      /** Unused by the ZGW adapter; kept so callers that only know the folder keep working. */
      dir: string;
      bronorganisatie: string;
      zgw: ZgwConfig;
      /** Builds the ZGW adapter; pass it to startServer as `dms`. */
      createAdapter: () => DmsAdapter;
    };

export type DmsConfigResult = { ok: true; config: DmsConfig } | { ok: false; error: string };

export function readDmsConfig(env: Record<string, string | undefined>, dataDir: string): DmsConfigResult {
  const adapter = (env.DMS_ADAPTER ?? '').trim() || 'filesystem';
  const rsin = env.ZGW_RSIN?.trim() || undefined;
  if (rsin !== undefined && !/^[0-9]{9}$/.test(rsin)) {
    return { ok: false, error: `ZGW_RSIN must be nine digits, got "${rsin}"` };
  }
  const dir = resolve(env.DMS_DIR?.trim() || join(dataDir, 'dms'));
  switch (adapter) {
    case 'filesystem':
      return { ok: true, config: { adapter, dir, bronorganisatie: rsin } };
    case 'zgw': {
      const zgw = readZgwConfig(env);
      if (!zgw.ok) return zgw;
      const config = zgw.config;
      return { ok: true, config: { adapter, dir, bronorganisatie: config.rsin, zgw: config, createAdapter: () => createZgwDms({ config }) } };
    }
    default:
      return { ok: false, error: `DMS_ADAPTER must be "filesystem" or "zgw", got "${adapter}"` };
  }
}

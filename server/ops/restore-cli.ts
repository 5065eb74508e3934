// `npm run restore -- <file>` (OP16): puts a backup back into DATA_DIR (which must be empty or
// new) and the backup's DMS folders into the drop folder, with the server stopped. Exit 0 with a
// summary; 2 when it refuses (folder not empty, newer schema, damaged file), with the reason.
// With DATABASE_URL a PostgreSQL backup goes into that empty database with pg_restore (OP23).
import { resolve } from 'node:path';
import { readDmsConfig } from '../dms/config';
import { restoreBackup } from './restore';

const file = process.argv[2];
if (file === undefined || file.startsWith('-')) {
  console.error('usage: npm run restore -- <file>   (into an empty DATA_DIR; DMS_ADAPTER and DMS_DIR as for npm start)');
  process.exit(2);
}
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const dms = readDmsConfig(process.env, dataDir);
if (!dms.ok) {
  console.error(dms.error);
  process.exit(2);
}
const result = await restoreBackup({
  file,
  dataDir,
  dmsDir: dms.config.adapter === 'filesystem' ? dms.config.dir : null,
  // OP23: a PostgreSQL backup goes into the (empty) database DATABASE_URL names.
  databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
});
if (!result.ok) {
  console.error(`Restore refused (${result.reason}): ${result.error}`);
  process.exit(2);
}
const { restored, alreadyThere, incomplete } = result.dmsFolders;
console.log(
  `Restored into ${process.env.DATABASE_URL?.trim() ? 'the database DATABASE_URL names' : dataDir}: backup of ${result.manifest.createdAt} (Keukentafel ${result.manifest.appVersion ?? '?'}, schema version ${result.manifest.schemaVersion}); ` +
    `DMS folders: ${restored} put back, ${alreadyThere} already there${incomplete.length > 0 ? `, left out as incomplete: ${incomplete.join(', ')}` : ''}. Start the server as usual.`,
);

// `npm run backup -- <file>` (OP15): reads DATA_DIR and the DMS settings as `npm start` does and
// writes one backup archive while the server keeps running. Exit 0 with a summary; 2 when it
// refuses (no database, file exists, pg_dump failing), with the reason. With DATABASE_URL the
// database part is `pg_dump -Fc` of PostgreSQL (OP23).
import { resolve } from 'node:path';
import { readDmsConfig } from '../dms/config';
import { createBackup } from './backup';

const file = process.argv[2];
if (file === undefined || file.startsWith('-')) {
  console.error('usage: npm run backup -- <file>   (DATA_DIR, DMS_ADAPTER and DMS_DIR as for npm start)');
  process.exit(2);
}
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const dms = readDmsConfig(process.env, dataDir);
if (!dms.ok) {
  console.error(dms.error);
  process.exit(2);
}
const result = await createBackup({
  dataDir,
  dmsDir: dms.config.adapter === 'filesystem' ? dms.config.dir : null,
  dmsAdapter: dms.config.adapter,
  file,
  // OP23: with DATABASE_URL the database is PostgreSQL's, dumped with pg_dump.
  databaseUrl: process.env.DATABASE_URL?.trim() || undefined,
});
if (!result.ok) {
  console.error(`Backup refused: ${result.error}`);
  process.exit(2);
}
const dmsFiles = result.manifest.files.filter((f) => f.path.startsWith('dms/')).length;
console.log(
  `Backup written: ${result.file} (${result.bytes} bytes; schema version ${result.manifest.schemaVersion}, ${dmsFiles} files from the DMS drop folder, made at ${result.manifest.createdAt})`,
);

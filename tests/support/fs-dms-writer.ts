// F44: a process that files one delivery with large attachments into the filesystem DMS, for a
// test to kill (SIGKILL) while it writes. Run as `node --import tsx tests/support/fs-dms-writer.ts <dir>`.
// Prints "filed <reference>" when done (the test kills it long before, if all goes as planned).
import { createFilesystemDms } from '../../server/dms/filesystem';
import { crashDelivery } from './attachment-delivery';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: fs-dms-writer.ts <dir>');
const result = await createFilesystemDms({ dir }).deliver(crashDelivery());
process.stdout.write(result.ok ? `filed ${result.reference}\n` : `refused ${result.reason}\n`);

// `npm start`: serves what `npm run build` made, with plain node and no loader (OP1). A missing or
// stale build stops here, before anything listens, with the command to run (OP2, exit code 4);
// nothing is built or written at start, so several processes can share one installation (OP3).
// Arguments pass through to the server (`npm start -- --check-config`).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkBuild, SERVER_ENTRY } from './build-stamp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = checkBuild(root);
if (!build.ok) {
  console.error(`Keukentafel start refused: ${build.message}`);
  process.exit(4);
}
await import(pathToFileURL(join(root, SERVER_ENTRY)).href);

// `npm run build` (also run by `npm install`'s prepare): builds the client with Vite into dist/
// and bundles the server with esbuild into build/server/ (plain ESM that `node` runs without a
// loader), then writes build/stamp.json. Both go to fresh folders
// first and are renamed into place, so a build never writes into a folder a server is serving (OP3).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build as esbuild, type BuildOptions } from 'esbuild';
import { build as viteBuild } from 'vite';
import { buildSettings, currentCommit, packageVersion, STAMP_FILE } from './build-stamp.mjs';

const root = resolve(import.meta.dirname, '..');
const startedAt = Date.now();
const tmpDist = join(root, `.dist-building-${process.pid}`);
const tmpBuild = join(root, `.build-building-${process.pid}`);

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // By default dependencies load from node_modules as under tsx (the PDF thread: pdfkit, fonts).
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

try {
  await viteBuild({ root: join(root, 'client'), configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmpDist, emptyOutDir: true } });
  // The server bundles its dependencies too: resolving and loading ~40 packages' files was a third
  // of the start's CPU. Kept outside: the native module, and pdfkit (reads its font metrics from
  // its own folder), pg and ioredis (optional native parts). CommonJS inside needs `require`.
  await esbuild({
    ...common,
    entryPoints: { main: 'server/main.ts' },
    outdir: join(tmpBuild, 'server'),
    splitting: true,
    packages: 'bundle',
    external: ['better-sqlite3', 'pdfkit', 'pg', 'pg-native', 'ioredis'],
    banner: { js: "import { createRequire as __keukentafelRequire } from 'node:module';\nconst require = __keukentafelRequire(import.meta.url);" },
  });
  // The PDF thread's entry: under tsx it is render-worker-boot.mjs, which registers tsx in the
  // thread; in the build the same file name holds the bundled worker (pdf-renderer.ts's WORKER_URL).
  await esbuild({ ...common, entryPoints: ['server/pdf/render-worker.ts'], outfile: join(tmpBuild, 'server', 'render-worker-boot.mjs') });
  const stamp = { version: packageVersion(root), commit: currentCommit(root), startedAt, builtAt: Date.now(), node: process.version, settings: buildSettings(process.env) };
  mkdirSync(join(tmpBuild), { recursive: true });
  writeFileSync(join(tmpBuild, 'stamp.json'), `${JSON.stringify(stamp, null, 2)}\n`);
  for (const [from, to] of [[tmpDist, join(root, 'dist')], [tmpBuild, join(root, 'build')]] as const) {
    const old = `${to}.old-${process.pid}`;
    if (existsSync(to)) renameSync(to, old);
    renameSync(from, to);
    rmSync(old, { recursive: true, force: true });
  }
  console.log(`Built ${STAMP_FILE.replace('stamp.json', '')} and dist/ for version ${stamp.version}${stamp.commit === null ? '' : ` (${stamp.commit.slice(0, 12)})`}; start with: npm start`);
} finally {
  rmSync(tmpDist, { recursive: true, force: true });
  rmSync(tmpBuild, { recursive: true, force: true });
}

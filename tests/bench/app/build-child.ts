// Child-process entry that builds the client for the app figures: Vite's build() with the
// project's vite.config.ts into KT_BENCH_DIST. A process of its own because Vite 8's bundler
// reports progress from native code straight to file descriptor 1, which the bench's report
// owns; the parent (tests/bench/app/server.ts) gives this child its stderr as stdout.
import { build } from 'vite';

const outDir = process.env.KT_BENCH_DIST;
if (outDir === undefined || outDir === '') throw new Error('KT_BENCH_DIST is not set');
await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });

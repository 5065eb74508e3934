// Child-process entry that bundles harness.ts (with the app's store, vault and editor code, as
// Vite builds it for the app) into one script for the device figures. A process of its own for
// the same reason as tests/bench/app/build-child.ts: Vite's bundler writes progress to fd 1.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const outDir = process.env.KT_BENCH_DEVICE_DIST;
if (outDir === undefined || outDir === '') throw new Error('KT_BENCH_DEVICE_DIST is not set');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    minify: true,
    lib: { entry: fileURLToPath(new URL('./harness.ts', import.meta.url)), formats: ['iife'], name: 'ktBenchDevice', fileName: () => 'harness.js' },
  },
});

// Builds the PWA client from client/ into dist/, which the server serves (`npm start`): the app
// shell, a Workbox service worker (client/sw/sw.ts, injectManifest) that precaches it, the Dutch
// web app manifest, and the NL Design System CSS trimmed to the design tokens the app uses.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, loadEnv } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Minimal PostCSS shapes, so this file needs no postcss types of its own. */
interface CssDecl {
  prop: string;
  value: string;
  remove(): void;
}
interface CssRoot {
  walkDecls(callback: (decl: CssDecl) => void): void;
}

/**
 * The Voorbeeld theme declares ~2,800 tokens for every NL Design System component (200 KB).
 * Keep a custom property only when some rule uses it, directly or through another kept token,
 * so the CSS carries the tokens of the components we load and nothing else.
 */
function pruneUnusedCustomProperties() {
  return {
    postcssPlugin: 'keukentafel-prune-custom-properties',
    OnceExit(root: CssRoot) {
      const declared = new Map<string, CssDecl[]>();
      const used = new Set<string>();
      const pending: string[] = [];
      const reference = (value: string): void => {
        for (const match of value.matchAll(/var\(\s*(--[\w-]+)/g)) {
          const name = match[1]!;
          if (!used.has(name)) {
            used.add(name);
            pending.push(name);
          }
        }
      };
      root.walkDecls((decl) => {
        if (decl.prop.startsWith('--')) {
          const list = declared.get(decl.prop) ?? [];
          list.push(decl);
          declared.set(decl.prop, list);
        } else reference(decl.value);
      });
      while (pending.length > 0) {
        for (const decl of declared.get(pending.pop()!) ?? []) reference(decl.value);
      }
      for (const [name, decls] of declared) if (!used.has(name)) for (const decl of decls) decl.remove();
    },
  };
}

/**
 * Writes `.br` and `.gz` beside every text asset after the build, so the server sends them
 * precompressed (`@fastify/static` `preCompressed`): a phone on slow mobile data fetches about
 * a quarter of the bytes, at no CPU cost per request.
 */
function precompress() {
  let outDir = '';
  const compressible = /\.(js|mjs|css|html|svg|webmanifest|json)$/;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return {
    name: 'keukentafel-precompress',
    apply: 'build' as const,
    enforce: 'post' as const,
    configResolved(config: { root: string; build: { outDir: string } }) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post' as const,
      handler() {
        for (const file of walk(outDir)) {
          if (!compressible.test(file)) continue;
          const data = readFileSync(file);
          if (data.length < 1024) continue;
          writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
          writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        }
      },
    },
  };
}

/** B6: the version the app reports to the server: package.json's. */
function appVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'dev';
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  // One name for letterhead (server, MUNICIPALITY_NAME) and app (build time): `npm start` builds
  // and starts with the same environment, so setting MUNICIPALITY_NAME once is enough.
  const municipality = env.VITE_MUNICIPALITY_NAME ?? process.env.MUNICIPALITY_NAME ?? 'Gemeente Voorbeeld';
  const themeColor = env.VITE_THEME_COLOR ?? '#1d0857';
  return {
    root: 'client',
    publicDir: 'public',
    envDir: process.cwd(),
    plugins: [
      preact(),
      {
        name: 'keukentafel-html-config',
        transformIndexHtml: (html: string) =>
          html.replaceAll('%MUNICIPALITY%', municipality).replaceAll('%THEME_COLOR%', themeColor),
      },
      VitePWA({
        strategies: 'injectManifest',
        srcDir: 'sw',
        filename: 'sw.ts',
        registerType: 'prompt',
        injectRegister: false,
        includeAssets: ['icons/icon.svg', 'icons/apple-touch-icon.png'],
        injectManifest: {
          // The shell and every lazy screen: after one visit the whole app works offline.
          globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        },
        manifest: {
          id: '/',
          name: 'Keukentafel',
          short_name: 'Keukentafel',
          description: `Brieven en besluiten opstellen aan de keukentafel, ook zonder netwerk — ${municipality}`,
          lang: 'nl',
          dir: 'ltr',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          orientation: 'any',
          background_color: '#ffffff',
          theme_color: themeColor,
          categories: ['productivity', 'government'],
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          ],
        },
      }),
      precompress(),
    ],
    define: {
      'import.meta.env.VITE_MUNICIPALITY_NAME': JSON.stringify(municipality),
      // B6: reported at sign-in and refresh, listed per device on /beheer.
      'import.meta.env.VITE_APP_VERSION': JSON.stringify(appVersion()),
    },
    css: { postcss: { plugins: [pruneUnusedCustomProperties()] } },
    build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
    server: {
      proxy: {
        '/api': 'http://127.0.0.1:8080',
        '/sync': { target: 'ws://127.0.0.1:8080', ws: true },
      },
    },
  };
});

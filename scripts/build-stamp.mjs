// The build's stamp (build/stamp.json) and the check `npm start` makes before it serves anything
// (OP1, OP2): plain JavaScript with no dependencies, so it runs on a fresh clone before anything
// is built. A build is stale when it was made for another package version or git commit, when a
// source file changed after the build started, or when a setting the build bakes into the app
// (BUILD_SETTINGS) differs from the one the server starts with.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The command that makes a build; every refusal names it. */
export const BUILD_COMMAND = 'npm run build';
/** Where the stamp and the compiled server live, relative to the installation's root. */
export const STAMP_FILE = join('build', 'stamp.json');
export const SERVER_ENTRY = join('build', 'server', 'main.js');
/** What a build is made from: a change in any of these makes it stale. */
export const SOURCES = ['client', 'server', 'shared', 'scripts', 'package.json', 'package-lock.json', 'vite.config.ts'];

/** Settings `npm run build` writes into the app: the server must start with the same values. */
export const BUILD_SETTINGS = ['MUNICIPALITY_NAME', 'VITE_MUNICIPALITY_NAME', 'VITE_THEME_COLOR'];

/**
 * The build-time settings as `env` has them (null: unset).
 * @param {Record<string, string | undefined>} env @returns {Record<string, string | null>}
 */
export function buildSettings(env) {
  return Object.fromEntries(BUILD_SETTINGS.map((name) => [name, env[name]?.trim() || null]));
}

/** @param {string} root @returns {string} */
export function packageVersion(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/**
 * The checked-out commit, or null outside a git clone (an unpacked release) or without git.
 * @param {string} root @returns {string | null}
 */
export function currentCommit(root) {
  if (!existsSync(join(root, '.git'))) return null;
  try {
    // The ceiling keeps git from finding a repository above the installation.
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_CEILING_DIRECTORIES: dirname(root) },
    }).trim();
  } catch {
    return null;
  }
}

/**
 * The most recently changed source file, or null when there is none.
 * @param {string} root @returns {{ path: string, mtimeMs: number } | null}
 */
export function newestSource(root) {
  /** @type {{ path: string, mtimeMs: number } | null} */
  let newest = null;
  /** @param {string} path */
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules') visit(join(path, name));
    } else if (newest === null || stat.mtimeMs > newest.mtimeMs) {
      newest = { path: relative(root, path), mtimeMs: stat.mtimeMs };
    }
  };
  for (const source of SOURCES) visit(join(root, source));
  return newest;
}

/**
 * Whether `root` holds a build that fits its sources and `env`; otherwise why not, with the command to run.
 * @param {string} root
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ ok: true } | { ok: false, reason: 'missing' | 'stale', message: string }}
 */
export function checkBuild(root, env = process.env) {
  const stampPath = join(root, STAMP_FILE);
  if (!existsSync(stampPath) || !existsSync(join(root, SERVER_ENTRY)) || !existsSync(join(root, 'dist', 'index.html'))) {
    return { ok: false, reason: 'missing', message: `Keukentafel is not built yet. Run: ${BUILD_COMMAND}` };
  }
  /** @type {{ version?: unknown, commit?: unknown, startedAt?: unknown, settings?: Record<string, unknown> }} */
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
  } catch {
    return { ok: false, reason: 'missing', message: `The build's stamp (${STAMP_FILE}) is unreadable. Run: ${BUILD_COMMAND}` };
  }
  const version = packageVersion(root);
  if (stamp.version !== version) {
    return { ok: false, reason: 'stale', message: `The build is of version ${String(stamp.version)}, this is version ${version}. Run: ${BUILD_COMMAND}` };
  }
  const commit = currentCommit(root);
  if (commit !== null && typeof stamp.commit === 'string' && stamp.commit !== commit) {
    return { ok: false, reason: 'stale', message: `The build is of commit ${stamp.commit.slice(0, 12)}, this is commit ${commit.slice(0, 12)}. Run: ${BUILD_COMMAND}` };
  }
  const newest = newestSource(root);
  if (typeof stamp.startedAt !== 'number' || (newest !== null && newest.mtimeMs > stamp.startedAt)) {
    const what = newest === null ? 'its sources' : newest.path;
    return { ok: false, reason: 'stale', message: `${what} changed after the last build. Run: ${BUILD_COMMAND}` };
  }
  const now = buildSettings(env);
  for (const name of BUILD_SETTINGS) {
    const built = stamp.settings?.[name] ?? null;
    if (built !== now[name]) {
      const show = (/** @type {unknown} */ v) => (v === null ? 'unset' : JSON.stringify(v));
      return {
        ok: false,
        reason: 'stale',
        message: `The app was built with ${name} ${show(built)}, the server starts with ${show(now[name])}. Run: ${BUILD_COMMAND} (with the same settings)`,
      };
    }
  }
  return { ok: true };
}

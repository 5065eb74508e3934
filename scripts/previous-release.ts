// The previous release's built client, from this repository alone (issue 19 item 4, OP21): the
// release commit's tree (`git archive`) is unpacked into .tmp/previous-release/<commit>/, given
// today's node_modules (a symlink; that release's dependencies are a subset at the same versions)
// and built with that commit's own vite.config.ts. The result is cached by commit id, so the e2e
// run pays for it (about 8 s on two cores) once per checkout. Run by hand:
// `npx tsx scripts/previous-release.ts` prints the folder.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The release before this one: main at the end of round 1 (2026-11-29, the clean CI run of issue
 * 10). At the next release, set this to the commit that release was cut from (the full id from
 * `git rev-parse <tag or commit>`), run the e2e test tests/e2e/previous-release.test.ts, and adapt
 * its old-app steps (sign-in, PIN) to what that release's screens ask for.
 */
export const PREVIOUS_RELEASE = '349c821cc35a5b450519a967917f3e2e8366ee1a';

const root = resolve(import.meta.dirname, '..');

/** Where the build of `commit` lands (`<folder>/dist`, complete once `<folder>/built` exists). */
export function previousReleaseFolder(commit = PREVIOUS_RELEASE): string {
  return join(root, '.tmp', 'previous-release', commit);
}

/**
 * Builds the client of `commit` (default PREVIOUS_RELEASE) unless a complete build is cached;
 * resolves with its dist folder. Needs the full git history (a fresh `git clone` has it; a
 * shallow clone does not, and the error then says so).
 */
export async function buildPreviousRelease(commit = PREVIOUS_RELEASE): Promise<{ dist: string; cached: boolean; ms: number }> {
  const startedAt = Date.now();
  const folder = previousReleaseFolder(commit);
  const dist = join(folder, 'dist');
  const marker = join(folder, 'built');
  if (existsSync(marker) && existsSync(join(dist, 'index.html'))) return { dist, cached: true, ms: Date.now() - startedAt };

  // A half-finished earlier attempt (killed run) is thrown away, never reused.
  rmSync(folder, { recursive: true, force: true });
  const source = join(folder, 'src');
  mkdirSync(source, { recursive: true });
  try {
    await run('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: root });
  } catch {
    throw new Error(`previous release ${commit} is not in this clone's history: fetch it (git fetch --unshallow) or bump PREVIOUS_RELEASE in scripts/previous-release.ts`);
  }
  const archive = join(folder, 'source.tar');
  await run('git', ['archive', '--format=tar', '-o', archive, commit, 'client', 'shared', 'vite.config.ts', 'package.json', 'tsconfig.json'], { cwd: root });
  await run('tar', ['-xf', archive, '-C', source]);
  rmSync(archive);
  symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'), 'dir');

  // That release's `vite build`, in its own folder (its config resolves client/ and dist/ from the
  // working directory). VITE_* of this process are left out: the old app builds with its defaults.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITE_')) env[key] = value;
  const building = join(folder, 'dist-building');
  await run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn', '--outDir', building, '--emptyOutDir'], {
    cwd: source,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  renameSync(building, dist);
  writeFileSync(marker, `${commit}\n`);
  return { dist, cached: false, ms: Date.now() - startedAt };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const built = await buildPreviousRelease(process.argv[2] ?? PREVIOUS_RELEASE);
  console.log(`${built.dist} (${built.cached ? 'cached' : `built in ${(built.ms / 1000).toFixed(1)} s`})`);
}

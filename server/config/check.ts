// Checks the whole configuration at once (OP4): every reader runs, and a reader that stops at its
// first bad variable runs again without it, so the operator gets every problem in one start rather
// than one per restart. Also prints the effective configuration with secrets masked (OP5).
import { OWN_PREFIXES, SETTINGS, type SettingDeclaration } from './declaration';
import { READERS, type Env, type GroupName, type ReadResult, type ServerConfig } from './readers';

export type ConfigCheck =
  | { ok: true; config: ServerConfig; warnings: string[] }
  | { ok: false; problems: string[]; warnings: string[] };

const GROUPS = Object.keys(READERS) as GroupName[];

/** The declared variable a problem is about: the one named first in its text. */
function culpritOf(problem: string, names: readonly string[]): string | undefined {
  let best: { name: string; at: number } | undefined;
  for (const name of names) {
    const at = problem.search(new RegExp(`\\b${name}\\b`));
    if (at >= 0 && (best === undefined || at < best.at || (at === best.at && name.length > best.name.length))) best = { name, at };
  }
  return best?.name;
}

async function readGroup(group: GroupName, env: Env): Promise<ReadResult<unknown>> {
  const reader = READERS[group] as (env: Env) => ReadResult<unknown> | Promise<ReadResult<unknown>>;
  return reader(env);
}

/** Runs every reader over `env`; collects every problem, not only the first. */
export async function checkConfig(env: Env): Promise<ConfigCheck> {
  const problems: string[] = [];
  const values: Partial<Record<GroupName, unknown>> = {};
  for (const group of GROUPS) {
    const names = SETTINGS.filter((d) => d.group === group).map((d) => d.name);
    const trial: Env = { ...env };
    const reported = new Set<string>();
    for (let round = 0; round <= names.length; round++) {
      const result = await readGroup(group, trial);
      if (result.ok) {
        if (round === 0) values[group] = result.value;
        break;
      }
      // Without an earlier culprit the reader may complain that it is missing, or that a partner
      // needs it: a consequence of a problem already listed, not a new one.
      if ([...reported].some((name) => new RegExp(`\\b${name}\\b`).test(result.error))) break;
      const culprit = culpritOf(result.error, names);
      problems.push(result.error);
      if (culprit === undefined || trial[culprit] === undefined) break;
      reported.add(culprit);
      delete trial[culprit];
    }
  }
  const declared = new Set(SETTINGS.map((d) => d.name));
  const warnings = Object.keys(env)
    .filter((name) => !declared.has(name) && OWN_PREFIXES.some((p) => name.startsWith(p)))
    .sort()
    .map((name) => `${name} is not a Keukentafel setting (a typo?); it is ignored`);
  if (problems.length > 0) return { ok: false, problems, warnings };
  return { ok: true, config: values as ServerConfig, warnings };
}

/** One line per setting: name, effective value (or default), where it came from; secrets masked. */
export function formatEffectiveConfig(env: Env, settings: readonly SettingDeclaration[] = SETTINGS): string {
  const width = Math.max(...settings.map((d) => d.name.length));
  return settings
    .map((d) => {
      const raw = env[d.name]?.trim() ?? '';
      const shown =
        raw !== '' ? (d.secret ? '******** (set)' : raw) : d.default === null ? '(not set)' : `${d.default} (default)`;
      const when = d.group === 'build' ? '  [read by npm run build]' : '';
      return `${d.name.padEnd(width)}  ${shown}${when}`;
    })
    .join('\n');
}

/** The problem list as main.ts prints it. */
export function formatProblems(problems: readonly string[]): string {
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return `Configuration has ${problems.length} ${noun}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}

// A refused submit (422, W3) lists problems per section; the editor shows each one at its field
// or section, and what belongs to neither above the form, so nothing the server said is hidden.
import type { ActionProblem } from '../../sync/action-queue';

export interface PlacedProblems {
  /** Messages per field or section key of the template. */
  byKey: Map<string, string[]>;
  /** Messages that name no known field or section. */
  general: string[];
}

export function placeProblems(problems: readonly ActionProblem[], keys: ReadonlySet<string>): PlacedProblems {
  const byKey = new Map<string, string[]>();
  const general: string[] = [];
  for (const problem of problems) {
    const key = problem.section ?? null;
    if (key !== null && keys.has(key)) byKey.set(key, [...(byKey.get(key) ?? []), problem.message]);
    else general.push(problem.message);
  }
  return { byKey, general };
}

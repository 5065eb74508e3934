// TEMPLATES_DIR: a municipality's own templates, one JSON file each, loaded at start next to the
// built-ins (T2). A file that is not valid JSON, breaks the schema or reuses an id+version is
// refused with a Dutch message naming the file and the problem; the others load regardless.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateRegistry } from './registry';

export interface TemplatesDirResult {
  /** `id@version` of every template added, in file name order. */
  loaded: string[];
  /** One entry per refused file: the file name and a message that names it and the problem. */
  refused: { file: string; message: string }[];
}

export function loadTemplatesDir(dir: string, registry: Pick<TemplateRegistry, 'add'>): TemplatesDirResult {
  const result: TemplatesDirResult = { loaded: [], refused: [] };
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith('.json'))
      .sort();
  } catch (error) {
    result.refused.push({ file: dir, message: `Sjablonenmap ${dir} kan niet worden gelezen: ${(error as Error).message}` });
    return result;
  }
  for (const file of files) {
    const refuse = (problem: string): void => {
      result.refused.push({ file, message: `Sjabloon ${file} geweigerd: ${problem}` });
    };
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      refuse(`geen geldige JSON (${(error as Error).message})`);
      continue;
    }
    const added = registry.add(data);
    if (added.ok) result.loaded.push(added.key);
    else if (added.reason === 'version-exists') refuse(`versie ${added.detail} bestaat al; geef het sjabloon een hoger versienummer`);
    else refuse(added.detail);
  }
  return result;
}

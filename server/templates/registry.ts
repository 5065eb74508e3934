// The templates this server knows, by id and version. A document names the exact version it
// was made with (meta.templateVersion), so old versions stay resolvable after a new one lands;
// new documents get the latest (T3). Built-ins first, then the TEMPLATES_DIR loader `add`s its own.
import { Template } from '../../shared/templates/schema';

export type AddTemplateResult = { ok: true; key: string } | { ok: false; reason: 'invalid-template' | 'version-exists'; detail: string };

export class TemplateRegistry {
  private readonly byKey = new Map<string, Template>();

  /** Built-ins must be valid: a broken one is a programming error and stops start-up. */
  constructor(builtins: readonly Template[] = []) {
    for (const template of builtins) {
      const added = this.add(template);
      if (!added.ok) throw new Error(`built-in template ${template.id}@${template.version}: ${added.detail}`);
    }
  }

  /**
   * Adds one template after checking it against the schema; errors are values, because a
   * municipality's folder may hold a broken file that must not stop the others.
   */
  add(candidate: unknown): AddTemplateResult {
    const parsed = Template.safeParse(candidate);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
        .join('; ');
      return { ok: false, reason: 'invalid-template', detail };
    }
    const key = keyOf(parsed.data.id, parsed.data.version);
    // A version, once used by documents, means one thing for ever.
    if (this.byKey.has(key)) return { ok: false, reason: 'version-exists', detail: key };
    this.byKey.set(key, parsed.data);
    return { ok: true, key };
  }

  /** The exact version a document was made with; null when unknown. */
  get(id: string, version: number): Template | null {
    return this.byKey.get(keyOf(id, version)) ?? null;
  }

  /** Every version of one template, newest first (for drafts started on an older one). */
  versions(id: string): Template[] {
    return [...this.byKey.values()].filter((t) => t.id === id).sort((a, b) => b.version - a.version);
  }

  /** What new documents may use: the latest version of every template, ordered by title. */
  available(): Template[] {
    const latest = new Map<string, Template>();
    for (const t of this.byKey.values()) {
      const current = latest.get(t.id);
      if (current === undefined || t.version > current.version) latest.set(t.id, t);
    }
    return [...latest.values()].sort((a, b) => a.title.localeCompare(b.title, 'nl') || compare(a.id, b.id));
  }
}

function keyOf(id: string, version: number): string {
  return `${id}@${version}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The templates this user may use: `GET /api/templates` when the server answers, cached in the
// user's LocalStore for offline use, and the built-in templates as the seed when neither is
// there (first start offline, or a server without the route yet). Every source is validated.
// Older versions a device has seen stay in its cache, and a version it never saw is fetched by
// id and version, so a draft keeps the template version it was started on (T3).
import { builtinTemplates } from '../../../shared/templates/builtin';
import { Template } from '../../../shared/templates/schema';
import { apiUrl } from '../../sync/auth-client';
import type { JsonValue, LocalStore } from '../../store/local-store';
import type { Session } from '../../sync/session';

const SETTING = 'templates';
const FETCH_TIMEOUT_MS = 8_000;

/** The server sends explicit nulls for what a template leaves out; the schema knows "absent". */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = withoutNulls(item);
  return out;
}

/** The valid templates of a list from the server or the device cache; invalid ones are left out. */
export function parseTemplates(value: unknown): Template[] {
  if (!Array.isArray(value)) return [];
  const list: Template[] = [];
  for (const item of value) {
    const parsed = Template.safeParse(withoutNulls(item));
    if (parsed.success) list.push(parsed.data);
  }
  return list;
}

async function cached(store: LocalStore): Promise<Template[]> {
  try {
    return parseTemplates(await store.getSetting(SETTING));
  } catch {
    return [];
  }
}

/** Cached or built-in templates at once; fresh ones when the server answers. */
export async function loadTemplates(session: Session, serverUrl: string): Promise<Template[]> {
  const local = await cached(session.store);
  const fallback = local.length > 0 ? local : [...builtinTemplates];
  try {
    const res = await fetch(apiUrl(serverUrl, '/api/templates'), {
      headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!res.ok) return fallback;
    const fresh = parseTemplates(await res.json());
    if (fresh.length === 0) return fallback;
    // The server lists the newest versions; drafts on this device may need the older ones.
    const merged = [...fresh, ...local.filter((t) => !fresh.some((f) => sameVersion(f, t)))];
    await store(session, merged);
    return merged;
  } catch {
    return fallback;
  }
}

function sameVersion(a: Template, b: Template): boolean {
  return a.id === b.id && a.version === b.version;
}

async function store(session: Session, list: readonly Template[]): Promise<void> {
  // Through JSON: the stored copy is exactly what a later parse sees.
  await session.store.putSetting(SETTING, JSON.parse(JSON.stringify(list)) as JsonValue).catch(() => undefined);
}

/**
 * One exact version from the server (`GET /api/templates/:id/:version`), kept in the cache;
 * null when the server does not answer or does not know it.
 */
export async function fetchTemplateVersion(session: Session, serverUrl: string, id: string, version: number): Promise<Template | null> {
  try {
    const res = await fetch(apiUrl(serverUrl, `/api/templates/${encodeURIComponent(id)}/${version}`), {
      headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (!res.ok) return null;
    const [template] = parseTemplates([await res.json()]);
    if (template === undefined || template.id !== id || template.version !== version) return null;
    const local = await cached(session.store);
    await store(session, [...local.filter((t) => !sameVersion(t, template)), template]);
    return template;
  } catch {
    return null;
  }
}

/** The newest version of every template, for starting a new document. */
export function newestTemplates(templates: readonly Template[]): Template[] {
  const newest = new Map<string, Template>();
  for (const t of templates) {
    const current = newest.get(t.id);
    if (current === undefined || t.version > current.version) newest.set(t.id, t);
  }
  return templates.filter((t) => newest.get(t.id) === t);
}

/**
 * The template a document was made from: the exact version when this device has it (cache or
 * built-in), else the newest of that id (`exact` false: the caller should fetch the version);
 * null for an unknown template, which cannot be edited.
 */
export function findTemplate(templates: readonly Template[], id: string | null, version: number | null): Template | null {
  if (id === null) return null;
  const candidates = [...templates, ...builtinTemplates].filter((t) => t.id === id);
  const exact = candidates.find((t) => t.version === version);
  if (exact !== undefined) return exact;
  return newestTemplates(candidates)[0] ?? null;
}

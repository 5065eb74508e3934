// The templates this user may use: `GET /api/templates` when the server answers, cached in the
// user's LocalStore for offline use, and the built-in templates as the seed when neither is
// there (first start offline, or a server without the route yet). Every source is validated.
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
    // Through JSON: the stored copy is exactly what a later parse sees.
    await session.store.putSetting(SETTING, JSON.parse(JSON.stringify(fresh)) as JsonValue).catch(() => undefined);
    return fresh;
  } catch {
    return fallback;
  }
}

/** The template a document was made from; a document of an unknown template cannot be edited. */
export function findTemplate(templates: readonly Template[], id: string | null, version: number | null): Template | null {
  if (id === null) return null;
  const same = templates.filter((t) => t.id === id);
  const builtin = builtinTemplates.filter((t) => t.id === id);
  const candidates = same.length > 0 ? same : builtin;
  return candidates.find((t) => t.version === version) ?? candidates[0] ?? null;
}

// Z22, Z23: the check at start when ZGW is configured. Every Catalogi type a template relies on
// (its informatieobjecttype: `dms.zgw`, O7's documentType URL or ZGW_INFORMATIEOBJECTTYPE; its
// besluittype when ZGW_BESLUITEN_URL is set) is read once: a type the Catalogi API does not have,
// a concept (unpublished) one or one no longer valid is logged with its URL, and the templates
// that rely on it refuse submits with a Dutch reason. A type that could not be read (network,
// 5xx, 401/403) is logged too but refuses nothing: the delivery's own check (Z27) still holds.
import { z } from 'zod';
import { zgwTypeUrls, type Template } from '../../../shared/templates/schema';
import type { TemplateCheck } from '../types';
import type { ZgwHttp } from './http';
import { SYSTEM_USER } from './jwt';
import { informatieobjecttypeOf } from './template-types';

type TemplateCheckLine = TemplateCheck['lines'][number];

type TypeKind = 'informatieobjecttype' | 'besluittype';
type TypeState = { state: 'ok' } | { state: 'missing' | 'concept' | 'expired'; detail: string } | { state: 'unreadable'; detail: string };

const typeSchema = z.object({ concept: z.boolean().optional(), eindeGeldigheid: z.string().nullish(), omschrijving: z.string().nullish() });

const WHAT: Record<TypeKind, string> = { informatieobjecttype: 'documenttype (informatieobjecttype)', besluittype: 'besluittype' };

/** The Catalogi URLs one template relies on, for this configuration. */
export function typesOfTemplate(template: Template, config: Pick<ZgwHttp['config'], 'informatieobjecttype' | 'catalogiUrl' | 'besluitenUrl' | 'besluittype'>): { kind: TypeKind; url: string }[] {
  const zgw = template.dms?.zgw;
  const own = zgwTypeUrls(zgw).filter((t) => t.kind === 'informatieobjecttype' || config.besluitenUrl !== undefined);
  // Z24: a decision template without its own besluittype gets ZGW_BESLUITTYPE.
  if (config.besluitenUrl !== undefined && config.besluittype !== undefined && template.kind === 'besluit' && zgw?.besluittype === undefined) {
    own.push({ kind: 'besluittype', url: config.besluittype });
  }
  // A map per zaaktype falls back to the default for the zaaktypen it does not name; a single URL does not.
  const iot = zgw?.informatieobjecttype;
  const usesDefault = typeof iot !== 'string';
  const fallback = usesDefault ? informatieobjecttypeOf({ documenttype: template.dms?.documentType ?? template.title }, null, config) : null;
  return fallback === null || own.some((t) => t.url === fallback) ? own : [{ kind: 'informatieobjecttype', url: fallback }, ...own];
}

export async function checkTemplateTypes(http: ZgwHttp, templates: readonly Template[], today: string): Promise<TemplateCheck> {
  const { config } = http;
  const needed = new Map<string, { kind: TypeKind; templates: string[] }>();
  for (const t of templates) {
    for (const type of typesOfTemplate(t, config)) {
      const entry = needed.get(type.url) ?? { kind: type.kind, templates: [] };
      entry.templates.push(`${t.id}@${t.version}`);
      needed.set(type.url, entry);
    }
  }
  const states = await Promise.all([...needed.keys()].map(async (url) => [url, await stateOf(http, url, today)] as const));

  const refused = new Map<string, string>();
  const lines: TemplateCheckLine[] = [];
  for (const [url, state] of states) {
    const entry = needed.get(url);
    if (entry === undefined || state.state === 'ok') continue;
    const what = WHAT[entry.kind];
    if (state.state === 'unreadable') {
      lines.push({ level: 'warn', message: `Catalogi API: ${what} ${url} kon niet worden gecontroleerd (${state.detail}); de levering controleert het opnieuw`, url, templates: entry.templates });
      continue;
    }
    lines.push({ level: 'warn', message: `Catalogi API: ${what} ${url} ${state.detail}; sjablonen ${entry.templates.join(', ')} weigeren indienen`, url, templates: entry.templates });
    for (const key of entry.templates) {
      if (refused.has(key)) continue;
      refused.set(
        key,
        `Dit sjabloon kan nu niet worden ingediend: het ${what} ${url} ${state.detail} in het zaaksysteem. Vraag de functioneel beheerder het type te publiceren of het sjabloon aan te passen; uw document blijft bewaard.`,
      );
    }
  }
  // Z24: without the Besluiten API decisions are documents only; the start log says so.
  if (config.besluitenUrl === undefined) {
    const decisions = templates.filter((t) => t.dms?.zgw?.besluittype !== undefined).map((t) => `${t.id}@${t.version}`);
    lines.push({
      level: 'info',
      message: `ZGW_BESLUITEN_URL is niet ingesteld: besluiten worden alleen als document gearchiveerd, zonder besluit in de Besluiten API${decisions.length === 0 ? '' : ` (sjablonen met een besluittype: ${decisions.join(', ')})`}`,
    });
  } else {
    lines.push({ level: 'info', message: `Besluiten API: ${config.besluitenUrl}; een besluitsjabloon met een besluittype registreert zijn besluit daar` });
  }
  return { refused, lines };
}

async function stateOf(http: ZgwHttp, url: string, today: string): Promise<TypeState> {
  const read = await http.call('GET', url, SYSTEM_USER, typeSchema);
  if (!read.ok) {
    if (read.status === 404 || read.status === 410) return { state: 'missing', detail: 'bestaat niet' };
    return { state: 'unreadable', detail: read.failure.code };
  }
  if (read.value.concept === true) return { state: 'concept', detail: 'is nog niet gepubliceerd (concept)' };
  const einde = read.value.eindeGeldigheid;
  if (einde != null && einde !== '' && einde < today) return { state: 'expired', detail: `is niet meer geldig sinds ${einde}` };
  return { state: 'ok' };
}

// Accessors for the parts of a document's Y.Doc that the sync core needs: the `meta` map.
// The full document model (fields, sections, agreements, comments) grows with the templates.
import type * as Y from 'yjs';

export interface DocumentMeta {
  title: string;
  templateId: string | null;
  kind: string | null;
  zaak: string | null;
}

const MAX_TITLE = 200;

function str(value: unknown, max: number): string | null {
  return typeof value === 'string' ? value.slice(0, max) : null;
}

/** Reads `meta` defensively: the document came from a device, any value may be of any type. */
export function readMeta(doc: Y.Doc): DocumentMeta {
  const meta = doc.getMap('meta');
  const zaak = meta.get('zaak');
  const zaakId =
    typeof zaak === 'string'
      ? zaak
      : zaak !== null && typeof zaak === 'object' && 'identificatie' in zaak
        ? zaak.identificatie
        : null;
  return {
    title: str(meta.get('title'), MAX_TITLE) ?? '',
    templateId: str(meta.get('templateId'), 100),
    kind: str(meta.get('kind'), 20),
    zaak: str(zaakId, 100),
  };
}

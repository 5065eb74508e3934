// Accessors for a document's Y.Doc, shared by the editor, the preview and the server's
// submission: `meta` (Y.Map), `fields` (Y.Map of strings), `sections` (Y.Map of Y.Text for
// plain sections, Y.XmlFragment for rich ones, see rich-text.ts); `agreements` has its own module (agreements.ts). Fixed sections live in the
// template, not in the document. Reads are defensive: a document came from a device, any value may be of
// any type. Writes happen only on the device (the server never writes content).
import * as Y from 'yjs';
import type { Template } from '../templates/schema';
import { newRichFragment, readRichBlocks, richPlainText, type RichBlock } from './rich-text';

/** How a top-level type of a document is used: a map (entries by key) or a sequence. */
export type RootKind = 'map' | 'array';

/**
 * Every top-level type a document's Y.Doc may hold, and how (L1): `meta`, `fields`, `sections`
 * here, `agreements` (agreements.ts) and `signatures` (signatures.ts). The server refuses an
 * update that writes anything else at the top level. A new top-level type is added here first.
 */
export const DOCUMENT_ROOTS: Readonly<Record<string, RootKind>> = {
  meta: 'map',
  fields: 'map',
  sections: 'map',
  agreements: 'array',
  signatures: 'array',
  // Issue 14: the attachment list (shared/model/attachments.ts); the bytes are never in the doc.
  attachments: 'map',
};

export interface DocumentMeta {
  title: string;
  templateId: string | null;
  templateVersion: number | null;
  kind: string | null;
  zaak: string | null;
}

const MAX_TITLE = 200;

function str(value: unknown, max: number): string | null {
  return typeof value === 'string' ? value.slice(0, max) : null;
}

/** Reads `meta`; the server mirrors these into the index rooms. */
export function readMeta(doc: Y.Doc): DocumentMeta {
  const meta = doc.getMap('meta');
  const zaak = meta.get('zaak');
  const zaakId =
    typeof zaak === 'string'
      ? zaak
      : zaak !== null && typeof zaak === 'object' && 'identificatie' in zaak
        ? zaak.identificatie
        : null;
  const version = meta.get('templateVersion');
  return {
    title: str(meta.get('title'), MAX_TITLE) ?? '',
    templateId: str(meta.get('templateId'), 100),
    templateVersion: typeof version === 'number' && Number.isInteger(version) ? version : null,
    kind: str(meta.get('kind'), 20),
    zaak: str(zaakId, 100),
  };
}

export interface NewDocumentMeta {
  id: string;
  teamId: string;
  createdBy: string;
  createdAt: number;
}

/** Fills a new, empty Y.Doc with the template's structure and starting texts, in one transaction. */
export function initDocument(doc: Y.Doc, template: Template, info: NewDocumentMeta): void {
  doc.transact(() => {
    const meta = doc.getMap('meta');
    meta.set('id', info.id);
    meta.set('templateId', template.id);
    meta.set('templateVersion', template.version);
    meta.set('kind', template.kind);
    meta.set('title', '');
    meta.set('teamId', info.teamId);
    meta.set('createdBy', info.createdBy);
    meta.set('createdAt', info.createdAt);
    const fields = doc.getMap<string>('fields');
    for (const field of template.fields) fields.set(field.key, '');
    const sections = doc.getMap<Y.Text | Y.XmlFragment>('sections');
    for (const section of template.sections) {
      if (section.kind === 'plain') sections.set(section.key, new Y.Text(section.initial ?? ''));
      if (section.kind === 'rich') sections.set(section.key, newRichFragment(section.initial ?? ''));
    }
  });
}

export function readField(doc: Y.Doc, key: string): string {
  const value = doc.getMap('fields').get(key);
  return typeof value === 'string' ? value : '';
}

/**
 * Sets a field and keeps `meta.title` / `meta.zaak` in step when the template names this field
 * as the title or zaak field, so lists show what the official typed.
 */
export function writeField(doc: Y.Doc, template: Template, key: string, value: string): void {
  doc.transact(() => {
    doc.getMap<string>('fields').set(key, value);
    if (template.titleField === key) doc.getMap('meta').set('title', value.slice(0, MAX_TITLE));
    if (template.zaakField === key) doc.getMap('meta').set('zaak', { identificatie: value.trim() });
  });
}

/** Sets several fields in one transaction (one update, one undo step), each as writeField does. */
export function writeFields(doc: Y.Doc, template: Template, values: Readonly<Record<string, string>>): void {
  doc.transact(() => {
    for (const [key, value] of Object.entries(values)) writeField(doc, template, key, value);
  });
}

/** The Y.Text of a plain section, created if a device lost it; null for a non-text value. */
export function sectionText(doc: Y.Doc, key: string): Y.Text | null {
  const sections = doc.getMap<unknown>('sections');
  const value = sections.get(key);
  if (value instanceof Y.Text) return value;
  return null;
}

/** The Y.XmlFragment of a rich section; null when absent or of another type. */
export function sectionFragment(doc: Y.Doc, key: string): Y.XmlFragment | null {
  const value = doc.getMap<unknown>('sections').get(key);
  // Y.XmlElement extends Y.XmlFragment; only a fragment itself is a section.
  return value instanceof Y.XmlFragment && !(value instanceof Y.XmlElement) ? value : null;
}

/** What a written section holds, whichever kind the device stored. */
export type SectionContent =
  | { kind: 'text'; text: string }
  | { kind: 'rich'; blocks: RichBlock[] }
  | { kind: 'missing' }
  /** A value of another type: a broken or hostile device. */
  | { kind: 'unreadable' };

export function readSectionContent(doc: Y.Doc, key: string): SectionContent {
  const sections = doc.getMap<unknown>('sections');
  if (!sections.has(key)) return { kind: 'missing' };
  const text = sectionText(doc, key);
  if (text !== null) return { kind: 'text', text: text.toString() };
  const fragment = sectionFragment(doc, key);
  if (fragment !== null) return { kind: 'rich', blocks: readRichBlocks(fragment) };
  return { kind: 'unreadable' };
}

/** A section's words as plain text (rich text flattened, see richPlainText); '' when unreadable. */
export function readSection(doc: Y.Doc, key: string): string {
  const content = readSectionContent(doc, key);
  if (content.kind === 'text') return content.text;
  if (content.kind === 'rich') return richPlainText(content.blocks);
  return '';
}


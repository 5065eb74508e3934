// "Afspraken worden een brief": the agreements made at the table, copied into a new letter to the
// citizen, with the addressee and the case copied too. The office macro that did this only ran on
// a desktop; here it is a pure function on two Y.Docs, so the device does it offline and a test
// can check it. The body section may be plain (Y.Text) or rich (Y.XmlFragment, rich-text.ts):
// the agreements go in as a list either way.
import * as Y from 'yjs';
import type { Template, TemplateSection } from '../templates/schema';
import { readAgreements } from './agreements';
import { readField, readMeta, sectionFragment, sectionText, writeField } from './document';
import { RICH_NODES } from './rich-text';
import { agreementLines } from './signatures';

/** The sentence above the list in the letter. */
export const AGREEMENTS_INTRO = 'Dit hebben we met elkaar afgesproken:';

/** Fields a letter to the citizen shares with the record, copied as they are. */
const COPIED_FIELDS = ['zaaknummer', 'betrokkeneNaam', 'betrokkeneAdres'] as const;

/**
 * The template the letter is made from: the plain letter (`brief`) when there is one, otherwise
 * another letter to the citizen (kind `brief`) that has a section to write in. Newest version.
 */
export function pickLetterTemplate(templates: readonly Template[]): Template | null {
  const newest = templates.filter((t) => !templates.some((o) => o.id === t.id && o.version > t.version));
  const usable = newest.filter((t) => t.kind === 'brief' && bodySection(t) !== null);
  return usable.find((t) => t.id === 'brief') ?? usable.find((t) => t.fields.some((f) => f.key === 'betrokkeneNaam')) ?? usable[0] ?? null;
}

/** Where the agreements go: `kern` when the template has it, else the first written section that is not greeting or closing. */
export function bodySection(template: Template): TemplateSection | null {
  const writable = template.sections.filter((s) => s.kind === 'plain' || s.kind === 'rich');
  return writable.find((s) => s.key === 'kern') ?? writable.find((s) => s.key !== 'aanhef' && s.key !== 'afsluiting') ?? null;
}

/** The agreements as list lines, as the letter prints them ("wat — wie, wanneer"). */
export function agreementsForLetter(source: Y.Doc): string[] {
  return agreementLines(readAgreements(source)).filter((line) => line.replace(/[\s—,]/g, '') !== '');
}

/**
 * Copies the agreements of `source` into `target` (already initialised from `template`): the
 * addressee fields and zaaknummer where the letter has them, a subject, and the agreements as a
 * list at the end of the body section. One transaction. False when the letter has no body section.
 */
export function copyAgreementsIntoLetter(source: Y.Doc, target: Y.Doc, template: Template): boolean {
  const body = bodySection(template);
  if (body === null) return false;
  const lines = agreementsForLetter(source);
  target.transact(() => {
    for (const key of COPIED_FIELDS) {
      const value = readField(source, key);
      if (value.trim() !== '' && template.fields.some((f) => f.key === key)) writeField(target, template, key, value);
    }
    if (template.titleField !== undefined && readField(target, template.titleField).trim() === '') {
      const title = readMeta(source).title.trim();
      writeField(target, template, template.titleField, title === '' ? 'Onze afspraken' : `Onze afspraken: ${title}`);
    }
    appendList(target, body.key, AGREEMENTS_INTRO, lines);
  });
  return true;
}

/** Appends an intro paragraph and a bullet list to a plain or rich section, whichever the document holds. */
export function appendList(doc: Y.Doc, key: string, intro: string, items: readonly string[]): void {
  const text = sectionText(doc, key);
  if (text !== null) {
    // Plain text: paragraphs are split at blank lines, single line breaks stay inside one, so
    // the list prints as one paragraph of "- " lines.
    const before = text.toString().trimEnd() === '' ? '' : '\n\n';
    const list = items.map((line) => `- ${line}`).join('\n');
    text.insert(text.length, `${before}${intro}${list === '' ? '' : `\n\n${list}`}`);
    return;
  }
  const fragment = sectionFragment(doc, key);
  if (fragment === null) return;
  // An empty paragraph left by a new section would print as a blank line before the list.
  const last = fragment.length > 0 ? fragment.get(fragment.length - 1) : null;
  if (fragment.length === 1 && last instanceof Y.XmlElement && last.nodeName === RICH_NODES.paragraph && last.length === 0) fragment.delete(0, 1);
  const nodes: Y.XmlElement[] = [paragraph(intro)];
  if (items.length > 0) {
    const list = new Y.XmlElement(RICH_NODES.bulletList);
    list.insert(
      0,
      items.map((line) => {
        const item = new Y.XmlElement(RICH_NODES.listItem);
        item.insert(0, [paragraph(line)]);
        return item;
      }),
    );
    nodes.push(list);
  }
  fragment.insert(fragment.length, nodes);
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement(RICH_NODES.paragraph);
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

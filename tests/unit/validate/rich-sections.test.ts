// The rules of W3/T5/T6/T8 on rich sections: version 2 of the built-in templates writes its body
// sections as rich text, and every rule reads them as plain text (readSection), so required
// sections, the legal basis in a decision's motivering, maatwerk and the plain-language hints
// work the same as on version 1's plain sections. The fragments are written by y-prosemirror
// with the editor's schema, as on a device.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from 'y-prosemirror';
import { richSchema } from '../../../client/app/editor/rich/schema';
import { initDocument, sectionFragment, sectionText, writeField, writeFields } from '../../../shared/model/document';
import { builtinTemplates } from '../../../shared/templates/builtin';
import type { Template } from '../../../shared/templates/schema';
import { validateDocument } from '../../../shared/validate/validate-document';

type Json = { type: string; text?: string; marks?: { type: string }[]; content?: Json[] };
const t = (text: string, ...marks: string[]): Json => (marks.length === 0 ? { type: 'text', text } : { type: 'text', text, marks: marks.map((type) => ({ type })) });
const p = (...content: Json[]): Json => ({ type: 'paragraph', content });
const ul = (...items: string[]): Json => ({ type: 'bullet_list', content: items.map((i) => ({ type: 'list_item', content: [p(t(i))] })) });

function template(id: string, version: number): Template {
  const found = builtinTemplates.find((x) => x.id === id && x.version === version);
  if (found === undefined) throw new Error(`${id}@${version} missing`);
  return found;
}

/** Replaces a rich section's content the way the editor does: through y-prosemirror. */
function writeRich(doc: Y.Doc, key: string, ...blocks: Json[]): void {
  const fragment = sectionFragment(doc, key);
  if (fragment === null) throw new Error(`${key} is not rich`);
  doc.transact(() => fragment.delete(0, fragment.length));
  prosemirrorJSONToYXmlFragment(richSchema, { type: 'doc', content: blocks.length > 0 ? blocks : [p()] }, fragment);
}

const info = { id: 'doc-1', teamId: 'centrum', createdBy: 'u1', createdAt: 1 };

function newDoc(tpl: Template): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, tpl, info);
  return doc;
}

const rulesOf = (tpl: Template, doc: Y.Doc) => validateDocument(tpl, doc).map((x) => [x.section, x.rule]);

describe('built-in templates version 2: rich body sections', () => {
  it('[R1] [T3] every built-in has a version 2 with rich body sections, version 1 stays registered', () => {
    const ids = [...new Set(builtinTemplates.map((x) => x.id))];
    for (const id of ids) {
      const v1 = template(id, 1);
      const v2 = template(id, 2);
      expect(v2.sections.map((s) => s.key)).toEqual(v1.sections.map((s) => s.key));
      for (const [i, s] of v2.sections.entries()) {
        const before = v1.sections[i]!;
        const expected = before.kind === 'plain' && !['aanhef', 'afsluiting'].includes(before.key) ? 'rich' : before.kind;
        expect(s.kind, `${id} ${s.key}`).toBe(expected);
      }
    }
    expect(template('brief', 2).sections.find((s) => s.key === 'kern')?.kind).toBe('rich');
    const keys = builtinTemplates.map((x) => `${x.id}@${x.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('[R1] a document on version 2 gets fragments for rich sections and Y.Text for plain ones; version 1 keeps Y.Text', () => {
    const doc = newDoc(template('maatwerkbesluit', 2));
    expect(sectionFragment(doc, 'motivering')).not.toBeNull();
    expect(sectionText(doc, 'aanhef')?.toString()).toBe('Geachte heer, mevrouw,');
    const old = newDoc(template('maatwerkbesluit', 1));
    expect(sectionText(old, 'motivering')).not.toBeNull();
    expect(sectionFragment(old, 'motivering')).toBeNull();
  });

  it('[W3] [R1] a required rich section that is empty (or only empty list items) is a required-section problem', () => {
    const brief = template('brief', 2);
    const doc = newDoc(brief);
    writeFields(doc, brief, {
      zaaknummer: 'ZAAK-2026-0042',
      betrokkeneNaam: 'Mevrouw J. de Vries',
      betrokkeneAdres: 'Dorpsstraat 1\n1234 AB Voorbeeld',
      onderwerp: 'Uw aanvraag',
    });
    expect(rulesOf(brief, doc)).toEqual([['kern', 'required-section']]);
    writeRich(doc, 'kern', p(t('  ')), ul(' '));
    expect(rulesOf(brief, doc)).toEqual([['kern', 'required-section']]);
    writeRich(doc, 'kern', ul('U krijgt hulp bij het huishouden.'));
    expect(rulesOf(brief, doc)).toEqual([]);
  });

  it('[T5] [R1] besluit-awb finds the legal basis in a rich motivering, also across bold and italic runs and in a list', () => {
    const besluit = template('maatwerkbesluit', 2);
    const doc = newDoc(besluit);
    writeField(doc, besluit, 'maatwerk', 'nee');
    writeRich(doc, 'besluit', p(t('U krijgt '), t('vanaf 1 maart', 'bold'), t(' een uitkering.')));
    writeRich(doc, 'motivering', p(t('U zorgt voor uw moeder.')));
    expect(rulesOf(besluit, doc)).toContainEqual(['motivering', 'besluit-grondslag']);
    writeRich(doc, 'motivering', p(t('Wij besluiten op grond van ')), ul('zorg thuis', 'inkomen'), p(t('artikel 18', 'bold'), t(' van de '), t('Participatiewet', 'italic'), t('.')));
    expect(rulesOf(besluit, doc).filter(([s]) => s === 'motivering' || s === 'besluit')).toEqual([]);
    // Emptied again: one problem per section, the required-section one first.
    writeRich(doc, 'motivering', p(t(' ')));
    expect(rulesOf(besluit, doc)).toContainEqual(['motivering', 'required-section']);
    writeRich(doc, 'besluit', ul(' '));
    expect(rulesOf(besluit, doc)).toContainEqual(['besluit', 'required-section']);
  });

  it('[T6] [R1] maatwerk asks for its two rich sections and is satisfied by them', () => {
    const besluit = template('maatwerkbesluit', 2);
    const doc = newDoc(besluit);
    writeField(doc, besluit, 'maatwerk', 'ja');
    expect(rulesOf(besluit, doc)).toEqual(expect.arrayContaining([
      ['normaleRegel', 'maatwerk-normale-regel'],
      ['waaromNietPassend', 'maatwerk-waarom'],
    ]));
    writeRich(doc, 'normaleRegel', p(t('Normaal geldt de '), t('kostendelersnorm', 'bold'), t('.')));
    writeRich(doc, 'waaromNietPassend', ul('U woont tijdelijk bij uw moeder.', 'U zorgt voor haar.'));
    const rules = rulesOf(besluit, doc).map(([, rule]) => rule);
    expect(rules).not.toContain('maatwerk-normale-regel');
    expect(rules).not.toContain('maatwerk-waarom');
  });

  it('[T8] [R1] plain-language hints run on rich sections too', () => {
    const brief = template('brief', 2);
    const doc = newDoc(brief);
    writeRich(doc, 'kern', p(t('Wij sturen u '), t('middels', 'italic'), t(' deze brief het formulier.')));
    const hints = validateDocument(brief, doc).filter((x) => x.severity === 'hint');
    expect(hints.map((h) => [h.section, h.rule])).toContainEqual(['kern', 'ambtelijke-taal']);
  });
});

// W3 in pure form: validateDocument names every broken rule of the template, one problem per
// field or section, in template order, with a Dutch message; a complete letter has none.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initDocument, sectionText, writeField, writeFields } from '../../../shared/model/document';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import type { Template } from '../../../shared/templates/schema';
import { validateDocument } from '../../../shared/validate/validate-document';

const info = { id: 'doc-1', teamId: 'centrum', createdBy: 'u1', createdAt: 1 };

function letter(fill = true): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, briefTemplate, info);
  if (fill) {
    writeFields(doc, briefTemplate, {
      zaaknummer: 'ZAAK-2026-0042',
      betrokkeneNaam: 'Mevrouw J. de Vries',
      betrokkeneAdres: 'Dorpsstraat 1\n1234 AB Voorbeeld',
      onderwerp: 'Uw aanvraag mantelzorg',
    });
    sectionText(doc, 'kern')?.insert(0, 'U krijgt hulp bij het huishouden.');
  }
  return doc;
}

describe('validateDocument', () => {
  it('[W3] a complete letter has no problems', () => {
    expect(validateDocument(briefTemplate, letter())).toEqual([]);
  });

  it('[W3] a letter without a kern gets one required-section problem for the kern', () => {
    const doc = letter();
    const kern = sectionText(doc, 'kern');
    kern?.delete(0, kern.length);
    kern?.insert(0, '  \n\n ');
    expect(validateDocument(briefTemplate, doc)).toEqual([
      { section: 'kern', rule: 'required-section', message: expect.stringContaining('Kern van de brief') as string, severity: 'error' },
    ]);
  });

  it('[W3] an empty new letter lists every required field, then every empty section, in template order', () => {
    const problems = validateDocument(briefTemplate, letter(false));
    expect(problems.map((p) => [p.section, p.rule])).toEqual([
      ['zaaknummer', 'required-field'],
      ['betrokkeneNaam', 'required-field'],
      ['betrokkeneAdres', 'required-field'],
      ['onderwerp', 'required-field'],
      // aanhef and afsluiting start with their template text; only the kern is empty.
      ['kern', 'required-section'],
    ]);
    expect(problems[3]?.message).toBe('Vul het veld ‘Onderwerp’ in.');
  });

  it.each(['ZAAK 2026', 'ZAAK/2026/1', '../etc', '-ZAAK-1', 'Z'.repeat(41), 'zaak-é'])(
    '[W3] zaaknummer %j breaks zaaknummer-format',
    (value) => {
      const doc = letter();
      writeField(doc, briefTemplate, 'zaaknummer', value);
      expect(validateDocument(briefTemplate, doc)).toEqual([
        { section: 'zaaknummer', rule: 'zaaknummer-format', message: expect.stringContaining('ZAAK-2026-0042') as string, severity: 'error' },
      ]);
    },
  );

  it.each(['ZAAK-2026-0042', 'Z24.00123', 'A', 'zaak_1', 'Z'.repeat(40)])('zaaknummer %j is accepted', (value) => {
    const doc = letter();
    writeField(doc, briefTemplate, 'zaaknummer', value);
    expect(validateDocument(briefTemplate, doc)).toEqual([]);
  });

  it('a section of the wrong type is unreadable, not silently empty', () => {
    const doc = letter();
    doc.getMap('sections').set('kern', 42);
    expect(validateDocument(briefTemplate, doc)).toEqual([
      { section: 'kern', rule: 'unreadable-section', message: expect.any(String) as string, severity: 'error' },
    ]);
  });

  it('a missing required section is refused; a field of the wrong type counts as empty', () => {
    const doc = letter();
    doc.getMap('sections').delete('afsluiting');
    doc.getMap('fields').set('onderwerp', 12);
    expect(validateDocument(briefTemplate, doc).map((p) => [p.section, p.rule])).toEqual([
      ['onderwerp', 'required-field'],
      ['afsluiting', 'required-section'],
    ]);
  });

  it('a document of another template or version is a template-mismatch', () => {
    const doc = letter();
    doc.getMap('meta').set('templateVersion', 2);
    expect(validateDocument(briefTemplate, doc).map((p) => [p.section, p.rule])).toEqual([['meta', 'template-mismatch']]);
  });

  it('dates and choices are checked when filled, optional fields may stay empty', () => {
    const template: Template = {
      ...briefTemplate,
      id: 'besluit-test',
      fields: [
        { key: 'ingangsdatum', type: 'date', label: 'Ingangsdatum', required: false },
        { key: 'uitkomst', type: 'choice', label: 'Uitkomst', required: true, options: ['toegekend', 'afgewezen'] },
      ],
      sections: [{ key: 'motivering', kind: 'plain', label: 'Motivering', required: true }],
    };
    const doc = new Y.Doc();
    initDocument(doc, template, info);
    sectionText(doc, 'motivering')?.insert(0, 'Omdat.');
    writeField(doc, template, 'uitkomst', 'toegekend');
    expect(validateDocument(template, doc)).toEqual([]);

    writeField(doc, template, 'ingangsdatum', '2026-02-30');
    writeField(doc, template, 'uitkomst', 'misschien');
    expect(validateDocument(template, doc).map((p) => [p.section, p.rule])).toEqual([
      ['ingangsdatum', 'date-format'],
      ['uitkomst', 'choice-option'],
    ]);
    writeField(doc, template, 'ingangsdatum', '2028-02-29');
    expect(validateDocument(template, doc).map((p) => p.rule)).toEqual(['choice-option']);
  });
});

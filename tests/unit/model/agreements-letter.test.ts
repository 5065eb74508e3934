// "Afspraken worden een brief" (A5): the agreements of a record go into a new letter as a list,
// with the addressee and case copied, whether the letter's body is plain (Y.Text) or rich
// (Y.XmlFragment); what the letter prints is checked through the shared letter layout.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import { AGREEMENTS_INTRO, bodySection, copyAgreementsIntoLetter, pickLetterTemplate } from '../../../shared/model/agreements-letter';
import { initDocument, readField, readMeta, readSection, readSectionContent, writeField, writeFields } from '../../../shared/model/document';
import { buildLetterLayout } from '../../../shared/render/letter';
import { afsprakenverslagTemplate } from '../../../shared/templates/builtin/afsprakenverslag';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { briefSchuldhulpverlenerTemplate } from '../../../shared/templates/builtin/brief-schuldhulpverlener';
import type { Template } from '../../../shared/templates/schema';

const info = { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 };

function record(): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, afsprakenverslagTemplate, info);
  writeFields(doc, afsprakenverslagTemplate, {
    zaaknummer: 'ZAAK-2026-0042',
    betrokkeneNaam: 'Mevrouw J. de Vries',
    betrokkeneAdres: 'Dorpsstraat 12\n1234 AB Voorbeeld',
    onderwerp: 'Zorg voor uw moeder thuis',
  });
  addAgreement(doc, { wat: 'Huishoudelijke hulp aanvragen', wie: 'Peter', wanneer: '2026-04-01' });
  addAgreement(doc, { wat: 'Terugbellen over de uitkering', wie: 'De consulent', wanneer: 'volgende week' });
  addAgreement(doc, { wat: '', wie: '', wanneer: '' });
  return doc;
}

const LINES = ['Huishoudelijke hulp aanvragen — Peter, 1 april 2026', 'Terugbellen over de uitkering — De consulent, volgende week'];
const context = { municipality: 'Gemeente Voorbeeld', author: 'Vera Veld', date: Date.UTC(2026, 2, 3, 12), kenmerk: '' };

describe('agreements become a letter', () => {
  it('[A5] a plain letter gets the agreements as a list in its body, the addressee and a subject', () => {
    const letter = new Y.Doc();
    initDocument(letter, briefTemplate, info);
    expect(copyAgreementsIntoLetter(record(), letter, briefTemplate)).toBe(true);
    expect(readField(letter, 'betrokkeneNaam')).toBe('Mevrouw J. de Vries');
    expect(readField(letter, 'betrokkeneAdres')).toBe('Dorpsstraat 12\n1234 AB Voorbeeld');
    expect(readField(letter, 'zaaknummer')).toBe('ZAAK-2026-0042');
    expect(readMeta(letter)).toMatchObject({ title: 'Onze afspraken: Zorg voor uw moeder thuis', zaak: 'ZAAK-2026-0042' });
    expect(readSection(letter, 'kern')).toBe(`${AGREEMENTS_INTRO}\n\n- ${LINES[0]}\n- ${LINES[1]}`);
    // The greeting and closing stay as the template starts them.
    expect(readSection(letter, 'aanhef')).toBe('Geachte heer, mevrouw,');
    const kern = buildLetterLayout(briefTemplate, letter, context).blocks.find((b) => b.key === 'kern')!;
    expect(kern.paragraphs.join('\n')).toContain(`- ${LINES[1]}`);
  });

  it('[A5] a rich body gets an intro paragraph and a bullet list', () => {
    const richBrief: Template = { ...briefTemplate, sections: briefTemplate.sections.map((s) => (s.key === 'kern' ? { ...s, kind: 'rich' } : s)) };
    const letter = new Y.Doc();
    initDocument(letter, richBrief, info);
    copyAgreementsIntoLetter(record(), letter, richBrief);
    const content = readSectionContent(letter, 'kern');
    expect(content.kind).toBe('rich');
    if (content.kind !== 'rich') return;
    expect(content.blocks.map((b) => b.type)).toEqual(['paragraph', 'list']);
    const list = content.blocks[1]!;
    expect(list.type === 'list' && list.items.map((runs) => runs.map((r) => r.text).join(''))).toEqual(LINES);
    const kern = buildLetterLayout(richBrief, letter, context).blocks.find((b) => b.key === 'kern')!;
    expect(kern.paragraphs).toEqual([AGREEMENTS_INTRO, ...LINES]);
  });

  it('[A5] text already in the body stays above the list; a subject already typed is kept', () => {
    const letter = new Y.Doc();
    initDocument(letter, briefTemplate, info);
    writeField(letter, briefTemplate, 'onderwerp', 'Eigen onderwerp');
    (letter.getMap('sections').get('kern') as Y.Text).insert(0, 'Fijn dat we elkaar spraken.');
    copyAgreementsIntoLetter(record(), letter, briefTemplate);
    expect(readSection(letter, 'kern').startsWith(`Fijn dat we elkaar spraken.\n\n${AGREEMENTS_INTRO}`)).toBe(true);
    expect(readField(letter, 'onderwerp')).toBe('Eigen onderwerp');
  });

  it('[A5] the plain letter is picked first, newest version; a letter without a body section is not', () => {
    const newer = { ...briefTemplate, version: 2 };
    expect(pickLetterTemplate([afsprakenverslagTemplate, briefSchuldhulpverlenerTemplate, briefTemplate, newer])).toBe(newer);
    expect(pickLetterTemplate([afsprakenverslagTemplate, briefSchuldhulpverlenerTemplate])?.id).toBe('brief-schuldhulpverlener');
    expect(pickLetterTemplate([afsprakenverslagTemplate])).toBeNull();
    expect(bodySection(briefTemplate)?.key).toBe('kern');
    const noBody: Template = { ...briefTemplate, sections: briefTemplate.sections.filter((s) => s.key !== 'kern') };
    expect(bodySection(noBody)).toBeNull();
    expect(copyAgreementsIntoLetter(record(), new Y.Doc(), noBody)).toBe(false);
  });
});

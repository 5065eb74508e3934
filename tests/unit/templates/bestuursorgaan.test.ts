// J3: who decides. A template's bestuursorgaan gives its mandate line and the body an objection
// goes to; the besluit-mandaat check (T5) accepts that body's mandate line, not only the
// college's; a template whose fixed mandate line names another body is refused when it loads.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { buildLetterLayout } from '../../../shared/render/letter';
import { mandaatLineOf, namesMandate } from '../../../shared/templates/bestuursorgaan';
import { besluitHorecaTemplate } from '../../../shared/templates/builtin/besluit-horeca';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { Template } from '../../../shared/templates/schema';
import { validateDocument } from '../../../shared/validate/validate-document';

function horeca(template: Template = besluitHorecaTemplate): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, template, { id: 'doc-1', teamId: 'centrum', createdBy: 'u1', createdAt: 1 });
  writeFields(doc, template, {
    zaaknummer: 'ZAAK-2026-0100',
    betrokkeneNaam: 'Café De Molen B.V.',
    betrokkeneAdres: 'Markt 1\n1234 AB Voorbeeld',
    onderwerp: 'Uw exploitatievergunning',
    inrichting: 'Café De Molen',
    uitkomst: 'verlening',
    ingangsdatum: '2026-04-01',
  });
  for (const [key, text] of [
    ['aanvraag', 'U vroeg een vergunning aan.'],
    ['besluit', 'De burgemeester verleent de vergunning.'],
    ['motivering', 'De burgemeester beslist op grond van artikel 2:28 van de Algemene plaatselijke verordening.'],
  ] as const) {
    const t = sectionText(doc, key);
    t?.delete(0, t.length);
    t?.insert(0, text);
  }
  return doc;
}

describe('bestuursorgaan and mandate (J3)', () => {
  it('[J3] each body has its own mandate line; the college stays the default', () => {
    expect(mandaatLineOf(briefTemplate, 'Gemeente Voorbeeld')).toBe('namens het college van burgemeester en wethouders van de gemeente Voorbeeld');
    expect(mandaatLineOf({ bestuursorgaan: 'burgemeester' }, 'Gemeente Voorbeeld')).toBe('namens de burgemeester van de gemeente Voorbeeld');
    expect(mandaatLineOf({ bestuursorgaan: 'heffingsambtenaar' }, 'Utrecht')).toBe('namens de heffingsambtenaar van de gemeente Utrecht');
    expect(namesMandate('burgemeester', 'namens de burgemeester van de gemeente Voorbeeld')).toBe(true);
    expect(namesMandate('burgemeester', 'namens de burgemeester en wethouders van Voorbeeld')).toBe(false);
    expect(namesMandate('college', 'namens de burgemeester van de gemeente Voorbeeld')).toBe(false);
    expect(namesMandate('gemeenteraad', 'namens de raad van de gemeente Voorbeeld')).toBe(true);
  });

  it('[J3] a burgemeester decision passes besluit-mandaat and prints its mandate line and objection body', () => {
    const doc = horeca();
    expect(validateDocument(besluitHorecaTemplate, doc).filter((p) => p.severity === 'error')).toEqual([]);
    const layout = buildLetterLayout(besluitHorecaTemplate, doc, { municipality: 'Gemeente Voorbeeld', author: 'Vera', date: Date.UTC(2026, 2, 4, 9), kenmerk: 'KT-1' });
    expect(layout.signature.line).toBe('namens de burgemeester van de gemeente Voorbeeld');
    expect(layout.blocks.flatMap((b) => b.paragraphs).join(' ')).toContain('Stuur uw bezwaar naar de burgemeester van de gemeente Voorbeeld.');
  });

  it('[J3] a mandate line that names another body than the template’s is refused: per document (T5) and when the template loads', () => {
    const college = { ...besluitHorecaTemplate, mandaat: 'namens het college van burgemeester en wethouders van de gemeente {gemeente}' };
    expect(Template.safeParse(college).success).toBe(false);
    const fixedText = {
      ...besluitHorecaTemplate,
      sections: besluitHorecaTemplate.sections.map((s) => (s.role === 'mandaat' ? { ...s, text: 'namens burgemeester en wethouders' } : s)),
    };
    expect(Template.safeParse(fixedText).success).toBe(false);
    // A template that skipped the load check (built before it existed) is still caught per document.
    const problems = validateDocument(fixedText, horeca(fixedText)).filter((p) => p.rule === 'besluit-mandaat');
    expect(problems).toEqual([expect.objectContaining({ section: 'ondertekening', message: expect.stringContaining('namens de burgemeester') as string })]);
  });

  it('[J4] the signer and the function title print under the mandate line; without a signer the author signs', () => {
    const doc = horeca();
    const base = { municipality: 'Gemeente Voorbeeld', author: 'Vera Veldwerker', date: 0, kenmerk: 'KT-1' };
    expect(buildLetterLayout(besluitHorecaTemplate, doc, base).signature).toEqual({ name: 'Vera Veldwerker', line: 'namens de burgemeester van de gemeente Voorbeeld' });
    expect(buildLetterLayout(besluitHorecaTemplate, doc, { ...base, signer: { name: 'Karim Kantoor', functionTitle: 'Teamleider' } }).signature).toEqual({
      name: 'Karim Kantoor',
      line: 'namens de burgemeester van de gemeente Voorbeeld',
      functionTitle: 'Teamleider',
    });
  });
});

// The T-rules on whole documents: new field types (T4), the besluit-awb rules (T5), maatwerk and
// four eyes (T6, T7), agreements (T4) and the plain-language hints that never block (T8). Only
// errors refuse a submit (W3); hints come after them.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import { initDocument, sectionText, writeField, writeFields } from '../../../shared/model/document';
import { afsprakenverslagTemplate } from '../../../shared/templates/builtin/afsprakenverslag';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { maatwerkbesluitTemplate as besluit } from '../../../shared/templates/builtin/maatwerkbesluit';
import type { Template } from '../../../shared/templates/schema';
import { approvalRequired, validateDocument } from '../../../shared/validate/validate-document';

const info = { id: 'doc-1', teamId: 'centrum', createdBy: 'u1', createdAt: 1 };

function write(doc: Y.Doc, key: string, text: string): void {
  const t = sectionText(doc, key);
  if (t === null) throw new Error(`no section ${key}`);
  t.delete(0, t.length);
  t.insert(0, text);
}

function decision(template: Template = besluit): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, template, info);
  writeFields(doc, template, {
    zaaknummer: 'ZAAK-2026-0001',
    betrokkeneNaam: 'De heer P. Bakker',
    betrokkeneAdres: 'Molenweg 4\n1234 AB Voorbeeld',
    bsn: '111222333',
    onderwerp: 'Uw bijstandsuitkering',
    uitkomst: 'toekenning',
    maatwerk: 'nee',
    ingangsdatum: '2026-03-01',
  });
  write(doc, 'aanvraag', 'U vroeg om een uitkering.');
  write(doc, 'besluit', 'U krijgt vanaf 1 maart 2026 een uitkering.');
  write(doc, 'motivering', 'U zorgt voor uw moeder. Wij stemmen de uitkering af op grond van artikel 18 van de Participatiewet.');
  return doc;
}

const errors = (template: Template, doc: Y.Doc): [string, string][] =>
  validateDocument(template, doc)
    .filter((p) => p.severity === 'error')
    .map((p) => [p.section, p.rule]);

describe('besluit-awb', () => {
  it('[T5] a complete decision has no problems at all', () => {
    expect(validateDocument(besluit, decision())).toEqual([]);
  });

  it('[T5][W3] an empty new decision lists what is missing, one error per field or section, in template order', () => {
    const doc = new Y.Doc();
    initDocument(doc, besluit, info);
    expect(errors(besluit, doc)).toEqual([
      ['zaaknummer', 'required-field'],
      ['betrokkeneNaam', 'required-field'],
      ['betrokkeneAdres', 'required-field'],
      ['onderwerp', 'required-field'],
      ['uitkomst', 'required-field'],
      ['maatwerk', 'required-field'],
      ['ingangsdatum', 'required-field'],
      ['besluit', 'required-section'],
      ['motivering', 'required-section'],
    ]);
  });

  it('[T5] a motivering without an article and a law is refused with besluit-grondslag', () => {
    const doc = decision();
    write(doc, 'motivering', 'Wij vinden dit redelijk, want u zorgt goed voor uw moeder.');
    expect(validateDocument(besluit, doc).filter((p) => p.severity === 'error')).toEqual([
      { section: 'motivering', rule: 'besluit-grondslag', message: expect.stringContaining('wettelijke grondslag') as string, severity: 'error' },
    ]);
  });

  it('[T5] when the template leaves dictum and date optional, besluit-awb still asks for them', () => {
    const loose: Template = {
      ...besluit,
      fields: besluit.fields.map((f) => (f.key === 'ingangsdatum' ? { ...f, required: false } : f)),
      sections: besluit.sections.map((s) => (s.key === 'besluit' || s.key === 'motivering' ? { ...s, required: false } : s)),
    };
    const doc = decision(loose);
    writeField(doc, loose, 'ingangsdatum', '');
    write(doc, 'besluit', ' ');
    write(doc, 'motivering', '');
    expect(errors(loose, doc)).toEqual([
      ['ingangsdatum', 'besluit-ingangsdatum'],
      ['besluit', 'besluit-dictum'],
      ['motivering', 'besluit-motivering'],
    ]);
  });

  it('[T5] a written rechtsmiddelenclausule and mandate line must say objection, six weeks, when it is on time (J7) and "namens … burgemeester en wethouders"', () => {
    const own: Template = {
      ...besluit,
      sections: besluit.sections.map((s) =>
        s.role === 'rechtsmiddelen' || s.role === 'mandaat' ? { key: s.key, kind: 'plain', label: s.label, required: false, role: s.role } : s,
      ),
    };
    const doc = decision(own);
    expect(errors(own, doc)).toEqual([
      ['rechtsmiddelen', 'besluit-rechtsmiddelen'],
      ['ondertekening', 'besluit-mandaat'],
    ]);
    write(doc, 'rechtsmiddelen', 'U kunt binnen zes weken bezwaar maken bij het college.');
    expect(errors(own, doc)).toContainEqual(['rechtsmiddelen', 'besluit-rechtsmiddelen']); // J7: when is it on time?
    write(
      doc,
      'rechtsmiddelen',
      'U kunt binnen zes weken bezwaar maken bij het college, te rekenen vanaf de dag na verzending. Uw bezwaar is op tijd als wij het binnen die termijn ontvangen, of als u het op tijd op de post doet en wij het uiterlijk een week later ontvangen.',
    );
    write(doc, 'ondertekening', 'Namens burgemeester en wethouders,');
    expect(errors(own, doc)).toEqual([]);
  });

  it('[T4] a BSN that fails the 11-test and a date that does not exist are errors', () => {
    const doc = decision();
    writeField(doc, besluit, 'bsn', '123456789');
    writeField(doc, besluit, 'ingangsdatum', '2026-02-29');
    expect(errors(besluit, doc)).toEqual([
      ['bsn', 'bsn-format'],
      ['ingangsdatum', 'date-format'],
    ]);
  });
});

describe('maatwerk', () => {
  it('[T6] maatwerk "ja" asks which rule normally applies and why it does not fit', () => {
    const doc = decision();
    writeField(doc, besluit, 'maatwerk', 'ja');
    expect(validateDocument(besluit, doc).filter((p) => p.severity === 'error')).toEqual([
      { section: 'normaleRegel', rule: 'maatwerk-normale-regel', message: expect.stringContaining('welke regel normaal') as string, severity: 'error' },
      { section: 'waaromNietPassend', rule: 'maatwerk-waarom', message: expect.stringContaining('waarom die regel') as string, severity: 'error' },
    ]);
    write(doc, 'normaleRegel', 'Normaal vormen u en uw moeder één huishouden (artikel 3 van de Participatiewet).');
    write(doc, 'waaromNietPassend', 'U zorgt voor uw moeder. Daardoor is professionele zorg niet nodig.');
    expect(errors(besluit, doc)).toEqual([]);
  });

  it('[T7] approval: when-maatwerk needs a second official only when maatwerk is "ja"; always and never as they say', () => {
    const doc = decision();
    expect(approvalRequired(besluit, doc)).toBe(false);
    writeField(doc, besluit, 'maatwerk', 'ja');
    expect(approvalRequired(besluit, doc)).toBe(true);
    expect(approvalRequired({ ...besluit, approval: 'never' }, doc)).toBe(false);
    expect(approvalRequired({ ...briefTemplate, approval: 'always' }, new Y.Doc())).toBe(true);
    expect(approvalRequired(briefTemplate, doc)).toBe(false);
  });
});

describe('agreements', () => {
  function record(): Y.Doc {
    const doc = new Y.Doc();
    initDocument(doc, afsprakenverslagTemplate, info);
    const t = afsprakenverslagTemplate;
    writeFields(doc, t, {
      zaaknummer: 'ZAAK-2026-0005',
      betrokkeneNaam: 'Mevrouw A. de Boer',
      betrokkeneAdres: 'Vaartweg 2\n1234 AB Voorbeeld',
      onderwerp: 'Zorg voor uw moeder',
      gespreksdatum: '2026-02-10',
      aanwezigen: 'Mevrouw De Boer\nHaar zoon Kees',
    });
    write(doc, 'aanleiding', 'Kees woont sinds januari bij zijn moeder.');
    write(doc, 'situatie', 'Kees zorgt elke dag voor zijn moeder.');
    return doc;
  }

  it('[T4] a record needs at least one agreement, and every agreement says what, who and by when', () => {
    const doc = record();
    expect(errors(afsprakenverslagTemplate, doc)).toEqual([['afspraken', 'required-section']]);
    addAgreement(doc, { wat: 'Wijzigingsformulier insturen', wie: 'Kees', wanneer: '' });
    expect(errors(afsprakenverslagTemplate, doc)).toEqual([['afspraken', 'agreement-incomplete']]);
    doc.getArray<Y.Map<string>>('agreements').get(0).set('wanneer', '2026-02-24');
    expect(validateDocument(afsprakenverslagTemplate, doc)).toEqual([]);
    doc.getArray('agreements').push(['kapot']);
    expect(errors(afsprakenverslagTemplate, doc)).toEqual([['afspraken', 'unreadable-section']]);
  });
});

describe('plain-language hints', () => {
  it('[T8] long sentences, officialese and a low readability score are hints after the errors, never errors', () => {
    const doc = decision();
    write(
      doc,
      'aanvraag',
      'Middels onderhavige correspondentie delen wij u mede dat uw aanvraag inzake de tegemoetkoming in de kosten van maatschappelijke ' +
        'ondersteuning derhalve conform de desbetreffende verordeningsbepalingen in behandeling is genomen teneinde administratieve complicaties te voorkomen.',
    );
    const problems = validateDocument(besluit, doc);
    expect(problems.map((p) => [p.section, p.rule, p.severity])).toEqual([
      ['aanvraag', 'lange-zin', 'hint'],
      ['aanvraag', 'ambtelijke-taal', 'hint'],
      ['aanvraag', 'leesbaarheid', 'hint'],
    ]);
    expect(problems[1]?.message).toContain('‘middels’ (schrijf: met)');
    expect(problems[2]?.message).toMatch(/leesbaarheid -?\d+/);
  });

  it('[T8][W3] errors come first, hints after them', () => {
    const doc = decision();
    write(doc, 'motivering', 'Derhalve is dit redelijk.');
    expect(validateDocument(besluit, doc).map((p) => [p.rule, p.severity])).toEqual([
      ['besluit-grondslag', 'error'],
      ['ambtelijke-taal', 'hint'],
    ]);
  });
});

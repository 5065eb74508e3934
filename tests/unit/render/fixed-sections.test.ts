// T9: the printed letter fills a fixed section's placeholders from the fields and the computed
// values (the end of the bezwaartermijn counted from the letter's own date, the municipality),
// and prints the agreements; a field still empty shows as [label]; a fixed mandate section is the
// signature's line.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import { initDocument, writeField } from '../../../shared/model/document';
import { buildLetterLayout } from '../../../shared/render/letter';
import { afsprakenverslagTemplate } from '../../../shared/templates/builtin/afsprakenverslag';
import { voorschotbesluitTemplate } from '../../../shared/templates/builtin/voorschotbesluit';
import { fillPlaceholders } from '../../../shared/templates/fill';

const info = { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 };
const context = { municipality: 'Gemeente Voorbeeld', author: 'Karin Kantoor', kenmerk: 'KT-1-v1' };

describe('fixed sections in the letter', () => {
  it('[T9] the objection clause carries the kenmerk and municipality; the mandate line is printed', () => {
    const doc = new Y.Doc();
    initDocument(doc, voorschotbesluitTemplate, info);
    expect(doc.getMap('sections').has('rechtsmiddelen')).toBe(false);
    const layout = buildLetterLayout(voorschotbesluitTemplate, doc, { ...context, date: Date.UTC(2026, 0, 30, 9) });
    const clause = layout.blocks.find((b) => b.key === 'rechtsmiddelen')?.paragraphs.join('\n') ?? '';
    expect(clause).toContain('De zes weken beginnen op de dag nadat wij dit besluit hebben verstuurd.');
    expect(clause).toContain('van de gemeente Voorbeeld');
    // P7: inside running text the kenmerk's hyphens are non-breaking (U+2011).
    expect(clause).toContain('het kenmerk KT\u20111\u2011v1');
    // The fixed mandate section is the signature's line, printed once, not a block of its own.
    expect(layout.blocks.map((b) => b.key)).not.toContain('ondertekening');
    expect(layout.signature).toEqual({ name: 'Karin Kantoor', line: 'namens het college van burgemeester en wethouders van de gemeente Voorbeeld' });
  });

  it('[T9] fields fill in, dates in Dutch; an empty field shows its label; agreements print one per line', () => {
    const doc = new Y.Doc();
    initDocument(doc, afsprakenverslagTemplate, info);
    writeField(doc, afsprakenverslagTemplate, 'gespreksdatum', '2026-02-10');
    addAgreement(doc, { wat: 'Formulier insturen', wie: 'Kees', wanneer: '2026-02-24' });
    const layout = buildLetterLayout(afsprakenverslagTemplate, doc, { ...context, date: Date.UTC(2026, 1, 11) });
    expect(layout.blocks.find((b) => b.key === 'vervolg')?.paragraphs[0]).toMatch(
      /^Dit verslag is gemaakt op 10 februari 2026, samen met \[Naam betrokkene\]\./,
    );
    expect(layout.blocks.find((b) => b.key === 'afspraken')?.paragraphs).toEqual(['Formulier insturen — Kees, 24 februari 2026']);
  });

  it('[T9] an unknown placeholder is left as it is', () => {
    expect(fillPlaceholders('{a} en {b}', new Map([['a', 'x']]))).toBe('x en {b}');
  });
});

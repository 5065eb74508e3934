// P1 and P3 in the layout model that the preview and the PDF share: rich sections as runs and
// lists, the agreements as table rows, the citizens' signatures with name, time and whether they
// still cover the agreements, where they print, and the read-along BSN masking (field and free
// text, only numbers that pass the 11-test).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import { initDocument, writeField } from '../../../shared/model/document';
import { addSignature } from '../../../shared/model/signatures';
import {
  buildLetterLayout,
  SIGNATURE_OUTDATED_WARNING,
  signatureAlt,
  signatureCaption,
  signaturesAfterBlock,
  type LetterContent,
} from '../../../shared/render/letter';
import { afsprakenverslagTemplate } from '../../../shared/templates/builtin/afsprakenverslag';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { decisionContext, decisionDoc, decisionTemplate, writeRich, zigzag } from '../pdf/decision-fixture';

const info = { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 };
const context = { municipality: 'Gemeente Voorbeeld', author: 'Karin Kantoor', date: Date.UTC(2026, 2, 2, 9), kenmerk: 'KT-1-v1' };
const plain = (text: string) => ({ text, bold: false, italic: false });

describe('the printed letter: layout model', () => {
  it('[P1] a rich section prints as paragraphs with bold/italic runs and as lists; its plain words follow', () => {
    const doc = new Y.Doc();
    initDocument(doc, briefTemplate, info);
    writeRich(doc, 'kern', [
      { p: ['Dit is ', { text: 'vet', bold: true }, ', ', { text: 'schuin', italic: true }, ' en ', { text: 'beide', bold: true, italic: true }, '.'] },
      { ul: [['eerste punt'], ['tweede ', { text: 'punt', bold: true }]] },
      { ol: [['stap een'], ['stap twee']] },
    ]);
    const kern = buildLetterLayout(briefTemplate, doc, context).blocks.find((b) => b.key === 'kern');
    const expected: LetterContent[] = [
      {
        type: 'paragraph',
        runs: [
          plain('Dit is '),
          { text: 'vet', bold: true, italic: false },
          plain(', '),
          { text: 'schuin', bold: false, italic: true },
          plain(' en '),
          { text: 'beide', bold: true, italic: true },
          plain('.'),
        ],
      },
      { type: 'list', ordered: false, items: [[plain('eerste punt')], [plain('tweede '), { text: 'punt', bold: true, italic: false }]] },
      { type: 'list', ordered: true, items: [[plain('stap een')], [plain('stap twee')]] },
    ];
    expect(kern?.content).toEqual(expected);
    expect(kern?.paragraphs).toEqual(['Dit is vet, schuin en beide.', 'eerste punt', 'tweede punt', 'stap een', 'stap twee']);
  });

  it('[P1] the agreements print as table rows (Wat / Wie / Wanneer), dates in Dutch, unreadable entries left out', () => {
    const doc = new Y.Doc();
    initDocument(doc, afsprakenverslagTemplate, info);
    addAgreement(doc, { wat: ' Bankafschriften inleveren ', wie: 'Familie Ünal', wanneer: '2026-03-15' });
    doc.getArray('agreements').push(['kapot']);
    addAgreement(doc, { wat: 'Post doornemen', wie: 'Wijkteam', wanneer: 'binnen twee weken' });
    const block = buildLetterLayout(afsprakenverslagTemplate, doc, context).blocks.find((b) => b.key === 'afspraken');
    expect(block?.content).toEqual([
      {
        type: 'agreements',
        rows: [
          { wat: 'Bankafschriften inleveren', wie: 'Familie Ünal', wanneer: '15 maart 2026' },
          { wat: 'Post doornemen', wie: 'Wijkteam', wanneer: 'binnen twee weken' },
        ],
      },
    ]);
    expect(block?.paragraphs).toEqual(['Bankafschriften inleveren — Familie Ünal, 15 maart 2026', 'Post doornemen — Wijkteam, binnen twee weken']);
  });

  it('[P3] a signature carries name, Dutch time in Amsterdam and whether it still covers the agreements', () => {
    const layout = buildLetterLayout(decisionTemplate, decisionDoc(1), decisionContext);
    expect(layout.signatures.map(({ name, signedAt, covers }) => ({ name, signedAt, covers }))).toEqual([
      // Signed before the fourth agreement was added: no longer covers them.
      { name: 'A. Ünal', signedAt: '2 maart 2026 om 14:05', covers: false },
      { name: 'B. Ünal', signedAt: '2 maart 2026 om 14:20', covers: true },
    ]);
    expect(layout.signatures[0]?.strokes).toEqual(zigzag(1));
    const first = layout.signatures[0];
    expect(first && signatureCaption(first)).toBe('Voor akkoord getekend door A. Ünal op 2 maart 2026 om 14:05');
    expect(first && signatureAlt(first)).toBe('Handtekening van A. Ünal');
    expect(SIGNATURE_OUTDATED_WARNING).toBe('Let op: de afspraken zijn na deze handtekening gewijzigd.');
  });

  it('[P3] a signature covers again only what it signed: changing an agreement back restores it', () => {
    const doc = new Y.Doc();
    initDocument(doc, afsprakenverslagTemplate, info);
    addAgreement(doc, { wat: 'Post doornemen', wie: 'Wijkteam', wanneer: '2026-03-20' });
    addSignature(doc, { name: 'A. Ünal', signedAt: Date.UTC(2026, 2, 2, 13), strokes: zigzag(0) });
    const covers = (): boolean[] => buildLetterLayout(afsprakenverslagTemplate, doc, context).signatures.map((s) => s.covers);
    expect(covers()).toEqual([true]);
    const entry = doc.getArray<Y.Map<string>>('agreements').get(0);
    entry.set('wanneer', '2026-03-21');
    expect(covers()).toEqual([false]);
    entry.set('wanneer', '2026-03-20');
    expect(covers()).toEqual([true]);
    // An unreadable signature (strokes out of the box) is not printed at all.
    const broken = new Y.Map<unknown>();
    doc.getArray('signatures').push([broken]);
    broken.set('name', 'X');
    broken.set('role', 'burger');
    broken.set('signedAt', 1);
    broken.set('agreed', []);
    broken.set('strokes', [[0, 0, 5000, 0]]);
    expect(covers()).toEqual([true]);
  });

  it('[P1] signatures print after the block holding the agreements table, else after the last block', () => {
    const layout = buildLetterLayout(decisionTemplate, decisionDoc(1), decisionContext);
    expect(layout.blocks[signaturesAfterBlock(layout)]?.key).toBe('afspraken');
    const doc = new Y.Doc();
    initDocument(doc, briefTemplate, info);
    const brief = buildLetterLayout(briefTemplate, doc, context);
    expect(signaturesAfterBlock(brief)).toBe(brief.blocks.length - 1);
    expect(signaturesAfterBlock({ blocks: [] })).toBe(-1);
  });

  it('[A2] read-along masks the BSN field and every BSN in free text, only numbers passing the 11-test', () => {
    const doc = decisionDoc(1);
    // 111222333 passes the 11-test; 123456789 does not (an IBAN fragment, an amount: left alone).
    writeField(doc, decisionTemplate, 'onderwerp', 'Voorschot voor BSN 1112.22.333');
    writeRich(doc, 'verrekening', [{ p: ['Uw BSN is ', { text: '111222333', bold: true }, ', uw klantnummer 123456789.'] }]);
    addAgreement(doc, { wat: 'Formulier met BSN 1112 22 333 ondertekenen', wie: 'Familie Ünal', wanneer: '2026-03-30' });
    const masked = buildLetterLayout(decisionTemplate, doc, { ...decisionContext, maskBsn: true });
    expect(masked.details.find((d) => d.label === 'BSN betrokkene')?.value).toBe('•••••333');
    expect(masked.subject).toBe('Voorschot voor BSN •••••333');
    const verrekening = masked.blocks.find((b) => b.key === 'verrekening');
    expect(verrekening?.content).toEqual([
      { type: 'paragraph', runs: [plain('Uw BSN is '), { text: '•••••333', bold: true, italic: false }, plain(', uw klantnummer 123456789.')] },
    ]);
    expect(verrekening?.paragraphs).toEqual(['Uw BSN is •••••333, uw klantnummer 123456789.']);
    const afspraken = masked.blocks.find((b) => b.key === 'afspraken')?.paragraphs ?? [];
    expect(afspraken.at(-1)).toContain('Formulier met BSN •••••333 ondertekenen');
    expect(JSON.stringify(masked)).not.toMatch(/111222333|1112\.22\.333|1112 22 333/);

    const plainLayout = buildLetterLayout(decisionTemplate, doc, decisionContext);
    // P5: outside read-along the letter prints the BSN field in its print mode (masked, last four).
    expect(plainLayout.details.find((d) => d.label === 'BSN betrokkene')?.value).toBe('*****2333');
    expect(plainLayout.subject).toBe('Voorschot voor BSN 1112.22.333');
  });
});

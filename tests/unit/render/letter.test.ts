// The letter layout model that both the preview and the PDF/A print: addressee lines, the
// Dutch date in Amsterdam time, paragraphs at blank lines, the mandate line of the signature.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { buildLetterLayout, formatDutchDate, mandateLine, toParagraphs } from '../../../shared/render/letter';
import { briefTemplate } from '../../../shared/templates/builtin/brief';

describe('letter layout', () => {
  it('prints what the template holds, in template order, with the context passed in', () => {
    const doc = new Y.Doc();
    initDocument(doc, briefTemplate, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 });
    writeFields(doc, briefTemplate, {
      zaaknummer: ' ZAAK-2026-0042 ',
      betrokkeneNaam: 'Familie Jansen',
      betrokkeneAdres: 'Kerkstraat 3\r\n\r\n1234 AB  Voorbeeld ',
      onderwerp: 'Voorschot bijstand',
    });
    sectionText(doc, 'kern')?.insert(0, 'Eerste alinea\nloopt door.\n\n\nTweede alinea.');

    const layout = buildLetterLayout(briefTemplate, doc, {
      municipality: 'Gemeente Voorbeeld',
      author: 'Karin Kantoor',
      // 23:30 UTC on 2 March is already 3 March in Amsterdam.
      date: Date.UTC(2026, 2, 2, 23, 30),
      kenmerk: 'KT-1-v1',
    });
    const para = (text: string) => ({ type: 'paragraph', runs: [{ text, bold: false, italic: false }] });
    expect(layout).toEqual({
      municipality: 'Gemeente Voorbeeld',
      contact: [],
      references: [
        { label: 'Datum', value: '3 maart 2026' },
        { label: 'Ons kenmerk', value: 'KT-1-v1', unbroken: true },
        { label: 'Zaaknummer', value: 'ZAAK-2026-0042', unbroken: true },
      ],
      addressee: ['Familie Jansen', 'Kerkstraat 3', '1234 AB  Voorbeeld'],
      kenmerk: 'KT-1-v1',
      uwKenmerk: '',
      zaak: 'ZAAK-2026-0042',
      date: '3 maart 2026',
      subject: 'Voorschot bijstand',
      blocks: [
        { key: 'aanhef', label: 'Aanhef', content: [para('Geachte heer, mevrouw,')], paragraphs: ['Geachte heer, mevrouw,'] },
        {
          key: 'kern',
          label: 'Kern van de brief',
          content: [para('Eerste alinea\nloopt door.'), para('Tweede alinea.')],
          paragraphs: ['Eerste alinea\nloopt door.', 'Tweede alinea.'],
        },
        { key: 'afsluiting', label: 'Afsluiting', content: [para('Met vriendelijke groet,')], paragraphs: ['Met vriendelijke groet,'] },
      ],
      signature: {
        name: 'Karin Kantoor',
        line: 'namens het college van burgemeester en wethouders van de gemeente Voorbeeld',
      },
      signatures: [],
      details: [],
    });
  });

  it('the mandate line names the municipality as Dutch letters do', () => {
    expect(mandateLine('Gemeente Voorbeeld')).toBe('namens het college van burgemeester en wethouders van de gemeente Voorbeeld');
    expect(mandateLine('gemeente Súdwest-Fryslân')).toBe(
      'namens het college van burgemeester en wethouders van de gemeente Súdwest-Fryslân',
    );
    expect(mandateLine('Utrecht')).toBe('namens het college van burgemeester en wethouders van Utrecht');
  });

  it('paragraphs split at blank lines only; dates are Dutch', () => {
    expect(toParagraphs('  \n\n')).toEqual([]);
    expect(toParagraphs('a\r\nb\r\n \r\nc')).toEqual(['a\nb', 'c']);
    expect(formatDutchDate(Date.UTC(2026, 0, 15, 12))).toBe('15 januari 2026');
  });
});

// W2's PDF: the letter layout printed as PDF/A-2b, checked with the tools an archive's intake
// uses (poppler): the letter's text is there without section labels, every font is embedded
// (none of the standard 14), the XMP says PDF/A-2b, pages are numbered, output is reproducible.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { buildLetterLayout, type LetterLayout } from '../../../shared/render/letter';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { metadataText, renderLetterPdf, type LetterPdfInput } from '../../../server/pdf/render-letter';
import { pdfaId, pdfFonts, pdfInfo, pdfText, pdfXmp } from '../../support/poppler';

const NOW = Date.UTC(2026, 2, 2, 9, 30);

function layout(kern: string): LetterLayout {
  const doc = new Y.Doc();
  initDocument(doc, briefTemplate, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 });
  writeFields(doc, briefTemplate, {
    zaaknummer: 'ZAAK-2026-0042',
    betrokkeneNaam: 'Familie Ünal',
    betrokkeneAdres: 'Kanaalweg 7\n1234 AB Voorbeeld',
    onderwerp: 'Sportzone langs het kanaal',
  });
  sectionText(doc, 'kern')?.insert(0, kern);
  return buildLetterLayout(briefTemplate, doc, {
    municipality: 'Gemeente Voorbeeld',
    author: 'Karin Kantoor',
    date: NOW,
    kenmerk: 'KT-0123456789abcdef-v1',
  });
}

function input(kern = 'Dank voor uw voorstel voor een sportzone.\n\nWij nemen het mee in de gebiedsvisie.'): LetterPdfInput {
  return {
    layout: layout(kern),
    title: 'Sportzone langs het kanaal',
    author: 'Karin Kantoor',
    subject: 'Brief, zaak ZAAK-2026-0042',
    keywords: ['ZAAK-2026-0042', 'KT-0123456789abcdef-v1'],
    now: NOW,
  };
}

describe('renderLetterPdf', () => {
  it('[W2] prints the letter: letterhead, addressee, reference lines, sections without labels, signature under mandate', async () => {
    const text = pdfText(await renderLetterPdf(input()));
    const inOrder = [
      'Gemeente Voorbeeld',
      'Familie Ünal',
      'Kanaalweg 7',
      '1234 AB Voorbeeld',
      'Datum 2 maart 2026',
      'Ons kenmerk KT-0123456789abcdef-v1',
      'Zaaknummer ZAAK-2026-0042',
      'Onderwerp Sportzone langs het kanaal',
      'Geachte heer, mevrouw,',
      'Dank voor uw voorstel voor een sportzone.',
      'Wij nemen het mee in de gebiedsvisie.',
      'Met vriendelijke groet,',
      'Namens het college van burgemeester en wethouders van de gemeente Voorbeeld,',
      'Karin Kantoor',
      'pagina 1 van 1',
    ];
    let from = 0;
    for (const part of inOrder) {
      const at = text.indexOf(part, from);
      expect(at, `"${part}" after position ${from} in: ${text}`).toBeGreaterThanOrEqual(0);
      from = at + part.length;
    }
    for (const label of ['Aanhef', 'Kern van de brief', 'Afsluiting']) expect(text).not.toContain(label);
  });

  it('[W2] is PDF/A-2b: every font embedded and none of the standard 14, XMP identification, A4, tagged, Dutch', async () => {
    const pdf = await renderLetterPdf(input());
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font, font.name).toMatchObject({ embedded: true });
      expect(font.name).not.toMatch(/Helvetica|Times|Courier|Symbol|ZapfDingbats/);
    }
    expect(pdfaId(pdfXmp(pdf))).toEqual({ part: '2', conformance: 'B' });
    const info = pdfInfo(pdf);
    expect(info).toMatchObject({
      Title: 'Sportzone langs het kanaal',
      Author: 'Karin Kantoor',
      Subject: 'Brief, zaak ZAAK-2026-0042',
      Keywords: 'ZAAK-2026-0042, KT-0123456789abcdef-v1',
      Tagged: 'yes',
      'PDF version': '1.7',
      Pages: '1',
    });
    expect(info['Page size']).toContain('(A4)');
    expect(Buffer.from(pdf).toString('latin1')).toContain('/Lang (nl-NL)');
  });

  it('[W2] a long letter runs over pages numbered "pagina X van Y"', async () => {
    const long = Array.from({ length: 30 }, (_, i) => `Alinea ${i + 1}. Wij leggen uit wat dit voor u betekent, in gewone woorden.`).join('\n\n');
    const pdf = await renderLetterPdf(input(long));
    const text = pdfText(pdf);
    expect(pdfInfo(pdf).Pages).toBe('2');
    expect(text).toContain('pagina 1 van 2');
    expect(text).toContain('pagina 2 van 2');
    expect(text).toContain('Alinea 30.');
  });

  it('[W2] the same input gives the same bytes; another date gives other bytes', async () => {
    const a = await renderLetterPdf(input());
    const b = await renderLetterPdf(input());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = await renderLetterPdf({ ...input(), now: NOW + 1_000 });
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('metadata with XML-special characters stays valid and identical in Info and XMP', async () => {
    expect(metadataText(' Huur & <voorschot>\n')).toBe('Huur ＆ ＜voorschot＞');
    const pdf = await renderLetterPdf({ ...input(), title: 'Huur & <voorschot>' });
    expect(pdfInfo(pdf).Title).toBe('Huur ＆ ＜voorschot＞');
    expect(pdfXmp(pdf)).toContain('<rdf:li xml:lang="x-default">Huur ＆ ＜voorschot＞</rdf:li>');
  });
});

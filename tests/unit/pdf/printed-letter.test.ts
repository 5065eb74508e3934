// P1–P4 on paper: a three-page decision with rich text, lists, the agreements table and two
// citizen signatures, printed as PDF/A-2b and read back with poppler (pdftotext, pdffonts,
// pdfinfo -meta, pdfimages), with and without the municipality's logo.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLogo, loadLogo, type LetterLogo } from '../../../server/pdf/logo';
import { renderLetterPdf, type LetterPdfInput } from '../../../server/pdf/render-letter';
import { pdfaId, pdfFonts, pdfInfo, pdfText, pdfXmp } from '../../support/poppler';
import { DECISION_NOW, decisionLayout } from './decision-fixture';
import { pngWithAlpha } from './png';
import { pdfImages, pdfPageText } from './poppler-pages';

function input(extra: Partial<LetterPdfInput> = {}): LetterPdfInput {
  return {
    layout: decisionLayout(),
    title: 'Voorschot op uw bijstandsuitkering',
    author: 'Karin Kantoor',
    subject: 'Beschikking, zaak ZAAK-2026-0042',
    keywords: ['ZAAK-2026-0042', 'KT-0123456789abcdef-v1'],
    now: DECISION_NOW,
    ...extra,
  };
}

/** 24 × 12 baseline JPEG, RGB (ImageMagick). */
const RGB_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAMABgDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAUG/8QAGRAAAQUAAAAAAAAAAAAAAAAAAAISFFFh/8QAFgEBAQEAAAAAAAAAAAAAAAAAAAUG/8QAFxEAAwEAAAAAAAAAAAAAAAAAAAMVFv/aAAwDAQACEQMRAD8Ay0jRI0mvVYeqzR59RVtsKUjQTXqsDPqFth//2Q==',
  'base64',
);

/** The start of a CMYK JPEG: SOI, then a baseline frame header with four components. */
const CMYK_JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x14, 0x08, 0x00, 0x0c, 0x00, 0x18, 0x04, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);

async function logoOf(data: Buffer): Promise<LetterLogo> {
  const result = await checkLogo(data);
  if (!result.ok) throw new Error(result.error);
  return result.logo;
}

describe('the printed letter: PDF/A-2b', () => {
  // The process's first letter parses the fonts (seconds on a busy machine): not the first test's budget.
  beforeAll(() => renderLetterPdf(input()), 60_000);

  it('[P1] prints the decision: runs, list items, agreements cells, signatures with their line, objection clause, mandate line', async () => {
    const text = pdfText(await renderLetterPdf(input()));
    const inOrder = [
      'Gemeente Voorbeeld',
      'Familie Ünal',
      'Onderwerp Voorschot op uw bijstandsuitkering',
      'U krijgt een voorschot van € 850 per maand op uw uitkering, vanaf 1 maart 2026.',
      'Let op: het voorschot is geen uitkering.',
      '• Wij betalen elke maand op de 25e.',
      '• U meldt ons elke verandering in uw inkomen.',
      'Daarom geven wij u een voorschot.',
      '1. Wij kijken naar uw inkomen.',
      '2. Wij kijken naar uw vaste lasten, zoals huur en energie.',
      '3. Wij beslissen binnen acht weken.',
      'Wat Wie Wanneer',
      'Voor akkoord getekend door A. Ünal op 2 maart 2026 om 14:05',
      'Let op: de afspraken zijn na deze handtekening gewijzigd.',
      'Voor akkoord getekend door B. Ünal op 2 maart 2026 om 14:20',
      'Dan kunt u bezwaar maken. Dat doet u binnen zes weken.',
      'uiterlijk een week na de laatste dag ontvangen',
      'Namens het college van burgemeester en wethouders van de gemeente Voorbeeld,',
      'Karin Kantoor',
    ];
    let from = 0;
    for (const part of inOrder) {
      const at = text.indexOf(part, from);
      expect(at, `"${part}" after position ${from} in: ${text}`).toBeGreaterThanOrEqual(0);
      from = at + part.length;
    }
    // Table cells: pdftotext reads a table row by row only roughly, so each cell on its own.
    for (const cell of [
      'Bankafschriften van de laatste drie',
      'van de spaarrekening',
      'Familie Ünal 15 maart 2026',
      'Huurachterstand bespreken met de',
      'Wijkteam Centrum 8 maart 2026',
      'Familie Ünal met het',
      'binnen twee weken',
      'Samen de post doornemen Wijkteam Centrum 20 maart 2026',
    ]) {
      expect(text).toContain(cell);
    }
    // Only the signature that no longer covers the agreements carries the warning.
    expect(text.split('Let op: de afspraken zijn na deze handtekening gewijzigd.')).toHaveLength(2);
    expect(text).not.toContain('Wat we afspraken');
  }, 30_000); // the first render in its worker parses the fonts; slow beside other PDF tests

  it('[P2] a three-page decision paginates "pagina X van 3"; a table row is never split and the header repeats', async () => {
    const pdf = await renderLetterPdf(input());
    expect(pdfInfo(pdf).Pages).toBe('3');
    for (const page of [1, 2, 3]) expect(pdfPageText(pdf, page)).toContain(`pagina ${page} van 3`);
    const pages = [1, 2, 3].map((p) => pdfPageText(pdf, p));
    const rows = [
      'Bankafschriften van de laatste drie maanden inleveren bij het wijkteam, ook van de spaarrekening',
      'Huurachterstand bespreken met de verhuurder',
      'Aanmelden bij de schuldhulpverlening',
      'Samen de post doornemen',
    ];
    for (const row of rows) {
      const first = row.split(' ').slice(0, 3).join(' ');
      const last = row.split(' ').slice(-2).join(' ');
      const page = pages.find((t) => t.includes(first));
      expect(page, row).toBeDefined();
      expect(page, `${row}: its last words on the same page`).toContain(last);
    }
    // Every page that holds rows starts its table with the header.
    for (const page of pages.filter((t) => rows.some((r) => t.includes(r.split(' ').slice(0, 3).join(' '))))) {
      expect(page).toContain('Wat Wie Wanneer');
    }
  });

  it('[P2] every font is embedded, the italic ones too; XMP says PDF/A-2b, Dutch, title and author; tagged', async () => {
    const pdf = await renderLetterPdf(input());
    const fonts = pdfFonts(pdf);
    for (const font of fonts) {
      expect(font, font.name).toMatchObject({ embedded: true });
      expect(font.name).not.toMatch(/Helvetica|Times|Courier|Symbol|ZapfDingbats/);
    }
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort();
    expect(names).toEqual(['NotoSans-Bold', 'NotoSans-BoldItalic', 'NotoSans-Italic', 'NotoSans-Regular']);
    const xmp = pdfXmp(pdf);
    expect(pdfaId(xmp)).toEqual({ part: '2', conformance: 'B' });
    expect(xmp).toMatch(/<dc:language>\s*<rdf:Bag>\s*<rdf:li>nl-NL<\/rdf:li>/);
    expect(xmp).toContain('<rdf:li xml:lang="x-default">Voorschot op uw bijstandsuitkering</rdf:li>');
    expect(xmp).toMatch(/<dc:creator>\s*<rdf:Seq>\s*<rdf:li>Karin Kantoor<\/rdf:li>/);
    expect(pdfInfo(pdf)).toMatchObject({ Tagged: 'yes', 'PDF version': '1.7' });
    const raw = Buffer.from(pdf).toString('latin1');
    // Structure: lists, the table with column headers, the signatures as Figures with alt text.
    for (const tag of ['/S /L\n', '/S /LI\n', '/S /Lbl\n', '/S /LBody\n', '/S /Table\n', '/S /TR\n', '/S /TH\n', '/S /TD\n', '/S /Figure\n']) {
      expect(raw, tag).toContain(tag);
    }
    expect(raw).toContain('/Scope /Column');
  });

  it('[P3] signatures are vector strokes, not images; without a logo the PDF holds no image at all', async () => {
    const pdf = await renderLetterPdf(input());
    expect(pdfImages(pdf)).toEqual([]);
  });

  it('[P4] the logo from configuration is in the letterhead: a PNG with alpha (image + soft mask) or a JPEG', async () => {
    const png = await renderLetterPdf(input({ logo: await logoOf(pngWithAlpha(240, 80)) }));
    expect(pdfImages(png).map(({ page, type, width, height }) => ({ page, type, width, height }))).toEqual([
      { page: 1, type: 'image', width: 240, height: 80 },
      { page: 1, type: 'smask', width: 240, height: 80 },
    ]);
    expect(pdfaId(pdfXmp(png))).toEqual({ part: '2', conformance: 'B' });
    expect(pdfPageText(png, 1)).toMatch(/^Gemeente Voorbeeld/);

    const jpeg = await renderLetterPdf(input({ logo: await logoOf(RGB_JPEG) }));
    expect(pdfImages(jpeg).map(({ type, width, height, color }) => ({ type, width, height, color }))).toEqual([
      { type: 'image', width: 24, height: 12, color: 'rgb' },
    ]);
  });

  it('[P4] a logo that is missing, empty, not PNG/JPEG, CMYK or broken is refused with the setting named', async () => {
    const missing = await loadLogo('/nonexistent/logo.png');
    expect(missing).toEqual({ ok: false, error: 'MUNICIPALITY_LOGO: cannot read "/nonexistent/logo.png" (ENOENT)' });
    const refused = async (data: Buffer): Promise<string> => {
      const result = await checkLogo(data, 'MUNICIPALITY_LOGO: "logo"');
      return result.ok ? 'accepted' : result.error;
    };
    expect(await refused(Buffer.alloc(0))).toBe('MUNICIPALITY_LOGO: "logo" is empty');
    expect(await refused(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('MUNICIPALITY_LOGO: "logo" is not a PNG or JPEG file');
    expect(await refused(CMYK_JPEG_HEAD)).toMatch(/^MUNICIPALITY_LOGO: "logo" is a CMYK JPEG/);
    const png = pngWithAlpha(16, 16);
    // A valid header with its image data cut off.
    expect(await refused(png.subarray(0, 40))).toMatch(/^MUNICIPALITY_LOGO: "logo" cannot be read as an image/);
    expect(await refused(png)).toBe('accepted');
  });

  it('[P2] deterministic with logo and signatures: the same input gives the same bytes', async () => {
    const logo = await logoOf(pngWithAlpha(120, 40));
    const a = await renderLetterPdf(input({ logo }));
    const b = await renderLetterPdf(input({ logo }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

// P5–P8 on paper: every built-in template (both versions) filled from DOMAIN.md's cases and
// printed as PDF/A, read back with poppler: fields in their print mode (a masked BSN, no internal
// choices), the letterhead's contact block with Ons/Uw kenmerk, the signature block on one page,
// the kenmerk on one line, and a header on every page after the first.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { buildLetterLayout, type LetterContext } from '../../../shared/render/letter';
import { builtinTemplates } from '../../../shared/templates/builtin/index';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { renderLetterPdf } from '../../../server/pdf/render-letter';
import type { Template } from '../../../shared/templates/schema';
import { pdfFonts, pdfInfo, pdfText } from '../../support/poppler';
import { filledLetter, LETTER_NOW, SAMPLE_BSN } from './builtin-letters';
import { pdfPageLines, pdfPagesText, pdfPageText, pdfStructText } from './poppler-pages';

const KENMERK = 'KT-2026-000123-v1';

const context: LetterContext = {
  municipality: 'Gemeente Voorbeeld',
  author: 'Karin Kantoor',
  date: LETTER_NOW,
  kenmerk: KENMERK,
  contact: {
    address: ['Raadhuisplein 1', '1234 AB Voorbeeld'],
    postalAddress: ['Postbus 100', '1230 AA Voorbeeld'],
    phone: '14 0123',
    website: 'www.voorbeeld.nl',
  },
  official: { name: 'Vera Veldwerker', functionTitle: 'Consulent Wmo', email: 'v.veldwerker@voorbeeld.nl', phone: '06 12345678' },
};

async function print(template: Template, doc: Y.Doc, extra: Partial<LetterContext> = {}): Promise<Uint8Array> {
  const layout = buildLetterLayout(template, doc, { ...context, ...extra });
  return renderLetterPdf({ layout, title: layout.subject, author: 'Karin Kantoor', subject: template.title, keywords: [], now: LETTER_NOW });
}

const pagesOf = pdfPagesText;
/** Renders and poppler runs on a shared machine: seconds each. */
const SLOW = 120_000;

/** U+2011 (non-breaking hyphen) reads as '-' for the comparisons below. */
const plainHyphens = (text: string): string => text.replace(/\u2011/g, '-');

describe('letters a citizen can receive (P5–P8)', () => {
  for (const template of builtinTemplates) {
    const name = `${template.id} v${template.version}`;

    it(`[P5][P6][P8] ${name}: contact block, Ons/Uw kenmerk, masked BSN, no internal field, a header on every later page`, async () => {
      const pdf = await print(template, filledLetter(template));
      const pages = pagesOf(pdf);
      expect(pages.length, 'long enough for a second page').toBeGreaterThanOrEqual(2);
      const first = pages[0] ?? '';
      for (const part of [
        'Bezoekadres Raadhuisplein 1 1234 AB Voorbeeld',
        'Postadres Postbus 100 1230 AA Voorbeeld',
        'Telefoon 14 0123',
        'www.voorbeeld.nl',
        'Contactpersoon Vera Veldwerker Consulent Wmo v.veldwerker@voorbeeld.nl Telefoon 06 12345678',
        `Ons kenmerk ${KENMERK}`,
        'Datum 2 maart 2026',
      ]) {
        expect(first, part).toContain(part);
      }
      const hasUwKenmerk = template.fields.some((f) => f.role === 'uwKenmerk');
      if (hasUwKenmerk) expect(first).toContain('Uw kenmerk Uw aanvraag van 12 februari 2026');
      else expect(first).not.toContain('Uw kenmerk');

      const text = pdfText(pdf);
      // P5: the internal choices never print, neither their label nor their value.
      expect(text).not.toMatch(/Uitkomst|Maatwerk|maatwerk/);
      expect(text).not.toMatch(/\b(toekenning|verlening met voorwaarden)\b/);
      // The BSN prints masked, never in full.
      expect(text).not.toContain(SAMPLE_BSN);
      if (template.fields.some((f) => f.type === 'bsn')) expect(first).toContain('BSN betrokkene *****6782');

      // P8: every page after the first opens with the kenmerk, the subject and its page number.
      const subject = buildLetterLayout(template, filledLetter(template), context).subject;
      pages.forEach((page, i) => {
        expect(page, `page ${i + 1}`).toContain(`pagina ${i + 1} van ${pages.length}`);
        if (i === 0) return;
        expect(page.startsWith(`Ons kenmerk ${KENMERK} · ${subject}`), `page ${i + 1} starts with its header: ${page.slice(0, 120)}`).toBe(true);
      });
      // The header and page numbers are Artifacts: not in the tagged text; the contact block is.
      const tagged = pdfStructText(pdf);
      expect(tagged).not.toContain('pagina 2 van');
      expect(tagged).not.toContain(`${KENMERK} · `);
      expect(tagged).toContain('"Postbus 100"');
      expect(pdfFonts(pdf).every((f) => f.embedded)).toBe(true);
    }, SLOW);
  }

  it('[P6] without "Uw kenmerk" typed and without settings the letterhead has neither; the official alone still prints', async () => {
    const template = builtinTemplates.find((t) => t.id === 'maatwerkbesluit') ?? briefTemplate;
    const doc = filledLetter(template);
    writeFields(doc, template, { uwKenmerk: '' });
    const first = pdfPageText(await print(template, doc, { contact: undefined, official: { name: 'Vera Veldwerker' } }), 1);
    expect(first).not.toContain('Uw kenmerk');
    expect(first).not.toMatch(/Bezoekadres|Postadres|Telefoon/);
    expect(first).toContain('Contactpersoon Vera Veldwerker');
    expect(first).toContain(`Ons kenmerk ${KENMERK}`);
  }, SLOW);

  it('[P6][P7] a long "Uw kenmerk" wraps at its spaces only, never at a hyphen', async () => {
    const template = builtinTemplates.find((t) => t.id === 'brief-burgerinitiatief') ?? briefTemplate;
    const doc = filledLetter(template, 0);
    const long = 'Uw e-mail van 12 februari 2026 aan de gemeenteraad over de sportzone langs de vaart, met kenmerk BI-2026-0007-A';
    writeFields(doc, template, { uwKenmerk: long });
    const lines = pdfPageLines(await print(template, doc), 1).map(plainHyphens);
    const text = lines.join(' ');
    expect(text.replace(/\s+/g, ' ')).toContain(`Uw kenmerk ${long}`);
    for (const word of ['e-mail', 'BI-2026-0007-A']) expect(lines.some((l) => l.includes(word)), word).toBe(true);
  }, SLOW);

  it('[P7] the signature block (mandate line, signer, function) and the closing stay on one page wherever the text ends', async () => {
    // Short paragraphs move the end of the text a line at a time across the foot of page 1 and 2.
    let crossed = 0;
    for (let n = 24; n <= 44; n++) {
      const doc = new Y.Doc();
      initDocument(doc, briefTemplate, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 });
      writeFields(doc, briefTemplate, { zaaknummer: 'ZAAK-2026-0042', betrokkeneNaam: 'Mevrouw A. de Boer', betrokkeneAdres: 'Molenweg 12\n1234 AB Voorbeeld', onderwerp: 'Uw vraag' });
      sectionText(doc, 'kern')?.insert(0, Array.from({ length: n }, (_, i) => `Regel ${i + 1} van de brief.`).join('\n\n'));
      const layout = buildLetterLayout(briefTemplate, doc, context);
      layout.signature.functionTitle = 'Teamleider Zorg';
      const pdf = await renderLetterPdf({ layout, title: 'Uw vraag', author: 'Karin Kantoor', subject: 'Brief', keywords: [], now: LETTER_NOW });
      const pages = pagesOf(pdf);
      const pageOf = (part: string): number => pages.findIndex((p) => p.includes(part));
      const mandate = pageOf('Namens het college van burgemeester en wethouders');
      expect(mandate, `n=${n}`).toBeGreaterThanOrEqual(0);
      expect(pageOf('Karin Kantoor Teamleider Zorg'), `n=${n}: signer and function with the mandate line`).toBe(mandate);
      expect(pageOf('Met vriendelijke groet,'), `n=${n}: the closing with the signature`).toBe(mandate);
      if (pageOf(`Regel ${n} van de brief.`) < mandate) crossed++;
    }
    // Some of these letters really put the signature block over a page break.
    expect(crossed).toBeGreaterThan(0);
  }, SLOW);

  it('[P7] the kenmerk never breaks at a hyphen: not in the reference lines, the page header or the objection clause', async () => {
    const template = builtinTemplates.find((t) => t.id === 'voorschotbesluit' && t.version === 1);
    if (template === undefined) throw new Error('voorschotbesluit v1 missing');
    const kenmerk = 'KT-2026-000123-v12';
    // Names of different lengths move the kenmerk in the clause along its line, over its end too.
    for (let pad = 0; pad < 24; pad += 2) {
      const municipality = `Gemeente ${'Voorbeeld'.padEnd(9 + pad, 'e')}`;
      const pdf = await print(template, filledLetter(template, 3), { municipality, kenmerk });
      const count = Number(pdfInfo(pdf).Pages);
      const lines = Array.from({ length: count }, (_, i) => pdfPageLines(pdf, i + 1)).flat().map(plainHyphens);
      const holding = lines.filter((l) => /KT-2026|000123|-v12\b/.test(l));
      // Reference line, page header(s), clause: each holds the whole kenmerk.
      expect(holding.length, `pad ${pad}`).toBeGreaterThanOrEqual(3);
      for (const line of holding) expect(line, `pad ${pad}`).toContain(kenmerk);
    }
  }, SLOW);
});

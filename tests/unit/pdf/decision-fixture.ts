// A decision as the printed-letter tests and the PDF bench use it: the voorschotbesluit with rich
// sections (paragraphs with bold and italic runs, bulleted and numbered lists), an agreements
// table and two citizen signatures, one of which no longer covers the agreements. `paragraphs`
// sets its length: the default makes three A4 pages.
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import { initDocument, writeFields } from '../../../shared/model/document';
import { RICH_NODES, type Run } from '../../../shared/model/rich-text';
import { addSignature, type Stroke } from '../../../shared/model/signatures';
import { buildLetterLayout, type LetterContext, type LetterLayout } from '../../../shared/render/letter';
import type { Template } from '../../../shared/templates/schema';
import { voorschotbesluitTemplate } from '../../../shared/templates/builtin/voorschotbesluit';

export const DECISION_NOW = Date.UTC(2026, 2, 2, 9, 30);

/** The voorschotbesluit with an agreements section after the reasoning (as a template may add). */
export const decisionTemplate: Template = {
  ...voorschotbesluitTemplate,
  sections: voorschotbesluitTemplate.sections.flatMap((s) =>
    s.key === 'verrekening' ? [s, { key: 'afspraken', kind: 'agreements' as const, label: 'Wat we afspraken', required: false }] : [s],
  ),
};

type Inline = string | { text: string; bold?: boolean; italic?: boolean };

function runsOf(parts: readonly Inline[]): Run[] {
  return parts.map((p) => (typeof p === 'string' ? { text: p, bold: false, italic: false } : { bold: false, italic: false, ...p }));
}

export type RichInput = { p: Inline[] } | { ul: Inline[][] } | { ol: Inline[][] };

/** Writes a rich section as y-prosemirror would: paragraphs and lists of list items. */
export function writeRich(doc: Y.Doc, key: string, blocks: readonly RichInput[]): void {
  doc.transact(() => {
    const fragment = new Y.XmlFragment();
    doc.getMap<unknown>('sections').set(key, fragment);
    const paragraph = (parent: Y.XmlFragment | Y.XmlElement, parts: readonly Inline[]): void => {
      const element = new Y.XmlElement(RICH_NODES.paragraph);
      parent.push([element]);
      const text = new Y.XmlText();
      element.push([text]);
      let at = 0;
      for (const run of runsOf(parts)) {
        const marks: Record<string, boolean> = {};
        if (run.bold) marks.bold = true;
        if (run.italic) marks.italic = true;
        text.insert(at, run.text, marks);
        at += run.text.length;
      }
    };
    for (const block of blocks) {
      if ('p' in block) {
        paragraph(fragment, block.p);
        continue;
      }
      const list = new Y.XmlElement('ul' in block ? RICH_NODES.bulletList : RICH_NODES.orderedList);
      fragment.push([list]);
      for (const item of 'ul' in block ? block.ul : block.ol) {
        const li = new Y.XmlElement(RICH_NODES.listItem);
        list.push([li]);
        paragraph(li, item);
      }
    }
  });
}

/** A signature-like zigzag inside the 1000 × 400 box. */
export function zigzag(seed: number): Stroke[] {
  const stroke: number[] = [];
  for (let i = 0; i <= 40; i++) stroke.push(60 + i * 22, 200 + Math.round(Math.sin((i + seed) / 2.5) * 120));
  return [stroke, [120, 330, 880, 330], [500, 100]];
}

const FILLER =
  'Wij hebben uw situatie met u besproken aan de keukentafel. U vertelde ons hoe het met u gaat, welke rekeningen er liggen en wat u nodig heeft om rond te komen.';

export function decisionDoc(paragraphs = 10): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, decisionTemplate, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 });
  writeFields(doc, decisionTemplate, {
    zaaknummer: 'ZAAK-2026-0042',
    betrokkeneNaam: 'Familie Ünal',
    betrokkeneAdres: 'Kanaalweg 7\n1234 AB Voorbeeld',
    bsn: '111222333',
    onderwerp: 'Voorschot op uw bijstandsuitkering',
    bedrag: '€ 850 per maand',
    ingangsdatum: '2026-03-01',
  });
  writeRich(doc, 'besluit', [
    { p: ['U krijgt een ', { text: 'voorschot van € 850 per maand', bold: true }, ' op uw uitkering, vanaf ', { text: '1 maart 2026', italic: true }, '.'] },
    { p: [{ text: 'Let op:', bold: true, italic: true }, ' het voorschot is geen uitkering. Wij verrekenen het later.'] },
    { ul: [['Wij betalen elke maand op de 25e.'], ['Het voorschot loopt tot ons besluit over uw aanvraag.'], ['U ', { text: 'meldt', bold: true }, ' ons elke verandering in uw inkomen.']] },
  ]);
  writeRich(doc, 'motivering', [
    { p: ['U heeft een uitkering aangevraagd. Dat doen wij op grond van artikel 52 van de Participatiewet.'] },
    ...Array.from({ length: paragraphs }, (_, i): RichInput => ({ p: [`${i + 1}. `, FILLER, ' ', { text: 'Daarom', italic: true }, ' geven wij u een voorschot.'] })),
    { ol: [['Wij kijken naar uw inkomen.'], ['Wij kijken naar uw vaste lasten, zoals ', { text: 'huur', italic: true }, ' en energie.'], ['Wij beslissen binnen acht weken.']] },
  ]);
  writeRich(doc, 'verrekening', [{ p: ['Als wij over uw aanvraag hebben besloten, verrekenen wij het voorschot met uw uitkering.'] }]);
  addAgreement(doc, { wat: 'Bankafschriften van de laatste drie maanden inleveren bij het wijkteam, ook van de spaarrekening', wie: 'Familie Ünal', wanneer: '2026-03-15' });
  addAgreement(doc, { wat: 'Huurachterstand bespreken met de verhuurder', wie: 'Wijkteam Centrum', wanneer: '2026-03-08' });
  addAgreement(doc, { wat: 'Aanmelden bij de schuldhulpverlening', wie: 'Familie Ünal met het wijkteam', wanneer: 'binnen twee weken' });
  addSignature(doc, { name: 'A. Ünal', signedAt: Date.UTC(2026, 2, 2, 13, 5), strokes: zigzag(1) });
  // A later change: the first signature no longer covers the agreements; the second does.
  addAgreement(doc, { wat: 'Samen de post doornemen', wie: 'Wijkteam Centrum', wanneer: '2026-03-20' });
  addSignature(doc, { name: 'B. Ünal', signedAt: Date.UTC(2026, 2, 2, 13, 20), strokes: zigzag(4) });
  return doc;
}

export const decisionContext: LetterContext = {
  municipality: 'Gemeente Voorbeeld',
  author: 'Karin Kantoor',
  date: DECISION_NOW,
  kenmerk: 'KT-0123456789abcdef-v1',
};

export function decisionLayout(paragraphs = 10, context: Partial<LetterContext> = {}): LetterLayout {
  return buildLetterLayout(decisionTemplate, decisionDoc(paragraphs), { ...decisionContext, ...context });
}

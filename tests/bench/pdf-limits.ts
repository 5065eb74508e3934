// Letters at the length limits (P10) for the PDF bench's P11 rows: the letter template with every
// field and section filled to its default limit, in words or as one unbroken word each, and a
// document at its total limit (sections raised to the ceiling). Each is checked to pass the
// limits, so the figures are what a submit can cost, not what the validator would refuse.
import * as Y from 'yjs';
import { initDocument, sectionText, writeFields } from '../../shared/model/document';
import { buildLetterLayout, type LetterLayout } from '../../shared/render/letter';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import { MAX_DOCUMENT_LENGTH, MAX_LENGTH_CEILING, maxLengthOf, type Template } from '../../shared/templates/schema';
import { validateDocument } from '../../shared/validate/validate-document';

const WORDS = 'Wij hebben uw aanvraag zorgvuldig bekeken en besproken met het wijkteam en met uw mantelzorger. ';

function fill(length: number, oneWord: boolean): string {
  const source = oneWord ? 'Onafhankelijkheidsverklaring' : WORDS;
  return source.repeat(Math.ceil(length / source.length)).slice(0, length).trimEnd().padEnd(length, 'a');
}

export type LimitCase = 'every-limit-words' | 'every-limit-one-word' | 'document-limit';

export function limitLetter(kind: LimitCase): LetterLayout {
  const roomy: Template =
    kind === 'document-limit'
      ? { ...briefTemplate, sections: briefTemplate.sections.map((s) => ({ ...s, maxLength: MAX_LENGTH_CEILING })) }
      : briefTemplate;
  const oneWord = kind === 'every-limit-one-word';
  const doc = new Y.Doc();
  initDocument(doc, roomy, { id: 'bench', teamId: 't', createdBy: 'u', createdAt: 0 });
  const fields: Record<string, string> = {};
  for (const f of roomy.fields) fields[f.key] = f.type === 'zaaknummer' ? 'ZAAK-2026-0042' : fill(maxLengthOf(f), oneWord);
  writeFields(doc, roomy, fields);
  let left = MAX_DOCUMENT_LENGTH - Object.values(fields).reduce((n, v) => n + v.length, 0);
  for (const s of roomy.sections) {
    const text = sectionText(doc, s.key);
    if (text === null) continue;
    text.delete(0, text.length);
    const length = Math.min(maxLengthOf(s), left);
    text.insert(0, fill(length, oneWord));
    left -= length;
  }
  const tooLong = validateDocument(roomy, doc).filter((p) => p.rule === 'too-long');
  if (tooLong.length > 0) throw new Error(`bench letter ${kind} is over a limit: ${tooLong.map((p) => p.message).join('; ')}`);
  return buildLetterLayout(roomy, doc, { municipality: 'Gemeente Voorbeeld', author: 'Karin Kantoor', date: 0, kenmerk: 'KT-1' });
}

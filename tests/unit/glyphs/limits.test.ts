// P9 and P10 in pure form: validateDocument refuses a character no embedded font has at its
// field or section, showing it, and a value over its length limit (template maxLength, else the
// type's default), and a document over its total length.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initDocument, sectionText, writeField, writeFields } from '../../../shared/model/document';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { DEFAULT_MAX_LENGTH, MAX_DOCUMENT_LENGTH, maxLengthOf, Template } from '../../../shared/templates/schema';
import { validateDocument } from '../../../shared/validate/validate-document';

const info = { id: 'doc-1', teamId: 'centrum', createdBy: 'u1', createdAt: 1 };

function letter(template = briefTemplate): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, template, info);
  writeFields(doc, template, {
    zaaknummer: 'ZAAK-2026-0042',
    betrokkeneNaam: 'Mevrouw J. de Vries',
    betrokkeneAdres: 'Dorpsstraat 1\n1234 AB Voorbeeld',
    onderwerp: 'Uw aanvraag mantelzorg',
  });
  sectionText(doc, 'kern')?.insert(0, 'U krijgt hulp bij het huishouden.');
  return doc;
}

const errorsOf = (template: Template, doc: Y.Doc) =>
  validateDocument(template, doc)
    .filter((p) => p.severity === 'error')
    .map((p) => [p.section, p.rule, p.message]);

describe('unprintable characters', () => {
  it('[P9] an emoji in a field is refused at that field, and the message shows it', () => {
    const doc = letter();
    writeField(doc, briefTemplate, 'betrokkeneNaam', 'Mevrouw J. de Vries 😀');
    expect(errorsOf(briefTemplate, doc)).toEqual([
      ['betrokkeneNaam', 'unprintable-character', 'Het teken 😀 (U+1F600) in ‘Naam betrokkene’ kan niet worden afgedrukt. Laat het weg of vervang het.'],
    ]);
  });

  it('[P9] Chinese in a section is refused at the section, each character named once', () => {
    const doc = letter();
    sectionText(doc, 'kern')?.insert(0, '中文中 ');
    const [problem] = errorsOf(briefTemplate, doc);
    expect(problem?.slice(0, 2)).toEqual(['kern', 'unprintable-character']);
    expect(problem?.[2]).toContain('De tekens 中 (U+4E2D), 文 (U+6587)');
  });

  it('[P9] Arabic, Greek, Cyrillic, Turkish, Polish names and ✓ → pass', () => {
    const doc = letter();
    writeField(doc, briefTemplate, 'betrokkeneNaam', 'محمد العلي / Αλέξανδρος / Олександр / Şükrü / Łukasz ✓ →');
    expect(errorsOf(briefTemplate, doc)).toEqual([]);
  });
});

describe('length limits', () => {
  it('[P10] defaults per type and kind; a template value wins', () => {
    expect(maxLengthOf({ type: 'text' })).toBe(DEFAULT_MAX_LENGTH.text);
    expect(maxLengthOf({ kind: 'rich' })).toBe(DEFAULT_MAX_LENGTH.rich);
    expect(maxLengthOf({ type: 'multiline', maxLength: 300 })).toBe(300);
    expect(Template.safeParse({ ...briefTemplate, fields: briefTemplate.fields.map((f) => ({ ...f, maxLength: 0 })) }).success).toBe(false);
  });

  it('[P10] a field one over its limit is refused at the field; at the limit it passes', () => {
    const doc = letter();
    const max = DEFAULT_MAX_LENGTH.text;
    writeField(doc, briefTemplate, 'onderwerp', 'a'.repeat(max));
    expect(errorsOf(briefTemplate, doc)).toEqual([]);
    writeField(doc, briefTemplate, 'onderwerp', 'a'.repeat(max + 1));
    expect(errorsOf(briefTemplate, doc)).toEqual([
      ['onderwerp', 'too-long', `‘Onderwerp’ is te lang: 201 tekens, er mogen er 200 in. Maak de tekst korter.`],
    ]);
  });

  it('[P10] characters are counted as people count them: an Arabic or astral character is one', () => {
    const doc = letter();
    writeField(doc, briefTemplate, 'onderwerp', '𝔸'.repeat(DEFAULT_MAX_LENGTH.text)); // two UTF-16 units each
    expect(errorsOf(briefTemplate, doc).map((p) => p[1])).not.toContain('too-long');
  });

  it('[P10] a template maxLength on a section is enforced there', () => {
    const small: Template = { ...briefTemplate, sections: briefTemplate.sections.map((s) => (s.key === 'kern' ? { ...s, maxLength: 20 } : s)) };
    const doc = letter(small);
    sectionText(doc, 'kern')?.insert(0, 'Dit is veel te lang voor twintig tekens. ');
    expect(errorsOf(small, doc)[0]?.slice(0, 2)).toEqual(['kern', 'too-long']);
  });

  it('[P10] the document as a whole has a limit too, reported at meta', () => {
    const roomy: Template = {
      ...briefTemplate,
      sections: briefTemplate.sections.map((s) => (s.kind === 'plain' || s.kind === 'rich' ? { ...s, maxLength: 20_000 } : s)),
    };
    const doc = letter(roomy);
    const plain = roomy.sections.filter((s) => s.kind === 'plain' || s.kind === 'rich');
    for (const s of plain) sectionText(doc, s.key)?.insert(0, 'woord '.repeat(Math.ceil(MAX_DOCUMENT_LENGTH / plain.length / 6) + 10));
    const problems = errorsOf(roomy, doc);
    expect(problems.map((p) => [p[0], p[1]])).toEqual([['meta', 'too-long']]);
    expect(problems[0]?.[2]).toMatch(/^Het document is te lang: [\d.]+ tekens, er mogen er 50\.000 in\./);
  });
});

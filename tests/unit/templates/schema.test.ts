// T1: the template schema accepts the built-in templates and a municipality's well-formed one,
// keeps version 1 templates (the plain letter) valid, and refuses broken templates with a
// message that names the problem.
import { describe, expect, it } from 'vitest';
import { mandaatWording } from '../../../shared/templates/bestuursorgaan';
import { builtinTemplates } from '../../../shared/templates/builtin';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { maatwerkbesluitTemplate } from '../../../shared/templates/builtin/maatwerkbesluit';
import { Template } from '../../../shared/templates/schema';

function problemsOf(candidate: unknown): string[] {
  const parsed = Template.safeParse(candidate);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
}

describe('template schema', () => {
  it.each(builtinTemplates.map((t) => [t.id, t] as const))('[T1] built-in %s is valid', (_id, template) => {
    expect(problemsOf(template)).toEqual([]);
  });

  it('[T1] the six cases are covered: records, decisions and letters', () => {
    const ids = builtinTemplates.map((t) => t.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'afsprakenverslag',
        'maatwerkbesluit',
        'voorschotbesluit',
        'adviesbrief-bouwplan',
        'besluit-brandveiligheid',
        'brief-burgerinitiatief',
        'brief-schuldhulpverlener',
      ]),
    );
    for (const t of builtinTemplates.filter((x) => x.kind === 'besluit')) {
      expect(t.rules).toContain('besluit-awb');
      const clause = t.sections.find((s) => s.role === 'rechtsmiddelen');
      expect(clause?.kind).toBe('fixed');
      expect(clause?.text).toContain('binnen de zes weken op de post doet'); // J7: Awb 6:9, no computed date
      expect(clause?.text).not.toContain('{bezwaartermijnEinde}');
      expect(clause?.text).toContain('{bestuursorgaan}');
      // J3: the mandate line is the template's own ({mandaat}: its bestuursorgaan's wording).
      expect(t.sections.find((s) => s.role === 'mandaat')?.text).toContain('{mandaat}');
      expect(mandaatWording(t)).toMatch(/^namens (het college van burgemeester en wethouders|de burgemeester) van de gemeente \{gemeente\}$/);
    }
  });

  it('[T1] a version 1 template (no rules, approval or new types) stays valid, through JSON too', () => {
    const v1 = JSON.parse(JSON.stringify(briefTemplate)) as unknown;
    expect(Template.parse(v1)).toEqual(briefTemplate);
  });

  const base = {
    id: 'gemeente-brief',
    version: 1,
    kind: 'brief',
    title: 'Brief van de gemeente',
    fields: [{ key: 'naam', type: 'text', label: 'Naam', required: true }],
    sections: [{ key: 'kern', kind: 'plain', label: 'Kern', required: true }],
  };

  it('[T1] a municipality template with every field type and section kind is valid', () => {
    expect(
      problemsOf({
        ...base,
        fields: [
          ...base.fields,
          { key: 'datum', type: 'date', label: 'Datum', required: false },
          { key: 'adres', type: 'address', label: 'Adres', required: false },
          { key: 'zaak', type: 'zaaknummer', label: 'Zaak', required: true },
          { key: 'bsn', type: 'bsn', label: 'BSN', required: false },
          { key: 'soort', type: 'choice', label: 'Soort', required: true, options: ['a', 'b'] },
          { key: 'toelichting', type: 'multiline', label: 'Toelichting', required: false },
        ],
        sections: [
          ...base.sections,
          { key: 'slot', kind: 'fixed', label: 'Slot', required: true, text: 'Groet aan {naam} uit {gemeente}, {verzenddatum}.' },
          { key: 'afspraken', kind: 'agreements', label: 'Afspraken', required: false },
        ],
        approval: 'always',
        dms: { documentType: 'Brief', confidentiality: 'intern' },
      }),
    ).toEqual([]);
  });

  it.each([
    ['an unknown field type', { fields: [{ key: 'x', type: 'iban', label: 'X', required: true }] }, /./],
    ['a choice without options', { fields: [{ key: 'x', type: 'choice', label: 'X', required: true }] }, /keuzeveld "x" heeft geen opties/],
    ['a fixed text without text', { sections: [{ key: 'x', kind: 'fixed', label: 'X', required: true }] }, /vaste tekst "x" heeft geen tekst/],
    [
      'a fixed text with an unknown placeholder',
      { sections: [{ key: 'x', kind: 'fixed', label: 'X', required: true, text: 'Beste {voornaam}' }] },
      /onbekende plaatshouder \{voornaam\} in onderdeel "x"/,
    ],
    ['a plain section with text', { sections: [{ key: 'x', kind: 'plain', label: 'X', required: true, text: 'a' }] }, /mag geen "text"/],
    ['a duplicate key', { sections: [{ key: 'naam', kind: 'plain', label: 'X', required: true }] }, /sleutel "naam" komt twee keer voor/],
    ['an unknown rule', { rules: ['alles-mag'] }, /./],
    ['an unknown approval', { approval: 'soms' }, /./],
    ['besluit-awb without the roles', { rules: ['besluit-awb'] }, /rol dictum/],
    ['maatwerk without its switch', { approval: 'when-maatwerk' }, /keuzeveld "maatwerk"/],
    ['an unknown confidentiality', { dms: { documentType: 'Brief', confidentiality: 'topgeheim' } }, /./],
    ['no sections', { sections: [] }, /./],
    ['an id with capitals', { id: 'Brief' }, /kleine letters/],
  ])('[T1] refuses %s', (_case, change, message) => {
    const problems = problemsOf({ ...base, ...change });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('; ')).toMatch(message);
  });

  it('[T1] besluit-awb wants exactly one section per role and a date field with role ingangsdatum', () => {
    const withoutDate = { ...maatwerkbesluitTemplate, fields: maatwerkbesluitTemplate.fields.filter((f) => f.role !== 'ingangsdatum') };
    expect(problemsOf(withoutDate).join('; ')).toMatch(/rol ingangsdatum/);
    const twoDicta = {
      ...maatwerkbesluitTemplate,
      sections: [...maatwerkbesluitTemplate.sections, { key: 'nogEen', kind: 'plain', label: 'Nog een', required: false, role: 'dictum' }],
    };
    expect(problemsOf(twoDicta).join('; ')).toMatch(/rol dictum \(gevonden: 2\)/);
  });
});

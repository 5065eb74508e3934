// M1, M2: a template's `dms.archive` block (archiefnominatie, bewaartermijn as an ISO 8601
// duration, the selectielijst category it rests on, the Woo category) is checked wherever
// templates enter, with a Dutch message naming the problem; every built-in template has one.
import { describe, expect, it } from 'vitest';
import { ArchiveBlock } from '../../../shared/templates/archive';
import { builtinTemplates } from '../../../shared/templates/builtin';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { Template } from '../../../shared/templates/schema';

function problemsOf(archive: unknown): string[] {
  const candidate = { ...briefTemplate, dms: { ...briefTemplate.dms, archive } };
  const parsed = Template.safeParse(JSON.parse(JSON.stringify(candidate)));
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
}

const klasse = { omschrijving: 'Brief in een zaak' };

describe('dms.archive', () => {
  it('[M1] takes a nominatie, an ISO 8601 term in years, months or days, and its selectielijst category', () => {
    expect(problemsOf({ archiefnominatie: 'vernietigen', bewaartermijn: 'P10Y', selectielijstklasse: klasse })).toEqual([]);
    expect(problemsOf({ archiefnominatie: 'vernietigen', bewaartermijn: 'P1Y6M', selectielijstklasse: { ...klasse, nummer: '1.1.2' } })).toEqual([]);
    expect(problemsOf({ archiefnominatie: 'vernietigen', bewaartermijn: 'P30D', selectielijstklasse: klasse, wooInformatiecategorie: 'beschikkingen' })).toEqual([]);
    expect(problemsOf({ archiefnominatie: 'blijvend_bewaren', selectielijstklasse: { ...klasse, selectielijst: 'Selectielijst 2017' } })).toEqual([]);
  });

  it('[M1] refuses a term that is not an ISO 8601 duration of years, months, days, with a Dutch message', () => {
    for (const bewaartermijn of ['10 jaar', 'P', 'P10', 'P1W', 'PT5H', 'p10y', 'P10Y ', '-P1Y']) {
      expect(problemsOf({ archiefnominatie: 'vernietigen', bewaartermijn, selectielijstklasse: klasse }), bewaartermijn).toEqual([
        'een bewaartermijn is een ISO 8601-duur zoals P10Y',
      ]);
    }
  });

  it('[M1] destroying needs a term; keeping for good has none', () => {
    expect(problemsOf({ archiefnominatie: 'vernietigen', selectielijstklasse: klasse })).toEqual(['archiefnominatie vernietigen vraagt een bewaartermijn']);
    expect(problemsOf({ archiefnominatie: 'blijvend_bewaren', bewaartermijn: 'P5Y', selectielijstklasse: klasse })).toEqual([
      'archiefnominatie blijvend_bewaren heeft geen bewaartermijn',
    ]);
  });

  it('[M1] refuses an unknown nominatie, a missing category and a malformed category number', () => {
    expect(problemsOf({ archiefnominatie: 'bewaren', bewaartermijn: 'P5Y', selectielijstklasse: klasse })).not.toEqual([]);
    expect(problemsOf({ archiefnominatie: 'vernietigen', bewaartermijn: 'P5Y' })).not.toEqual([]);
    expect(problemsOf({ archiefnominatie: 'vernietigen', bewaartermijn: 'P5Y', selectielijstklasse: { omschrijving: '' } })).not.toEqual([]);
    expect(problemsOf({ archiefnominatie: 'vernietigen', bewaartermijn: 'P5Y', selectielijstklasse: { ...klasse, nummer: '1.a' } })).toEqual([
      'een categorienummer is bijvoorbeeld 1.1.2',
    ]);
  });

  it('[M1] a template without the block stays valid (municipality templates from before M1)', () => {
    const { archive: _archive, ...dms } = briefTemplate.dms ?? { documentType: 'Brief', confidentiality: 'zaakvertrouwelijk' as const };
    expect(Template.safeParse({ ...briefTemplate, dms }).success).toBe(true);
  });

  it.each(builtinTemplates.map((t) => [`${t.id}@${t.version}`, t] as const))('[M2] built-in %s has a valid archive block', (_id, template) => {
    const archive = template.dms?.archive;
    expect(archive).toBeDefined();
    expect(ArchiveBlock.safeParse(archive).success).toBe(true);
    // A decision is a beschikking in the Woo's sense (art. 3.3 lid 2 sub n).
    if (template.kind === 'besluit') expect(archive?.wooInformatiecategorie).toBe('beschikkingen');
  });
});

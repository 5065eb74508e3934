// J7: the rechtsmiddelenclausule states Awb 6:7–6:9 correctly, whatever the day the letter leaves:
// six weeks from the day after sending, on time when received within them or, by post, posted
// within them and received at most a week after; no computed end date in the printed letter.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { initDocument } from '../../../shared/model/document';
import { buildLetterLayout } from '../../../shared/render/letter';
import { builtinTemplates } from '../../../shared/templates/builtin/index';
import { statesObjectionTerm } from '../../../shared/validate/validate-document';

const builtinClauses = builtinTemplates
  .filter((t) => t.kind === 'besluit')
  .map((t) => [`${t.id}@${t.version}`, t.sections.find((s) => s.role === 'rechtsmiddelen')?.text ?? ''] as const);

describe('the built-in clause', () => {
  it.each(builtinClauses)('[J7] %s states Awb 6:7, 6:8 and 6:9 and prints no end date', (_id, text) => {
    expect(statesObjectionTerm(text)).toBe(true);
    expect(text).not.toContain('{bezwaartermijnEinde}');
    expect(text).toContain('binnen zes weken');
    expect(text).toContain('op de dag nadat wij dit besluit hebben verstuurd');
    expect(text).toContain('als wij het binnen de zes weken ontvangen');
    expect(text).toContain('binnen de zes weken op de post doet en wij het uiterlijk een week na de laatste dag ontvangen');
    expect(text).toContain('{kenmerk}');
    expect(text).toContain('{gemeente}');
  });

  it('[J7] the printed clause reads the same whatever the letter date: no date in it', () => {
    const template = builtinTemplates.find((t) => t.id === 'voorschotbesluit');
    if (template === undefined) throw new Error('no voorschotbesluit');
    const doc = new Y.Doc();
    initDocument(doc, template, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 });
    const clauseOn = (date: number): string =>
      buildLetterLayout(template, doc, { municipality: 'Gemeente Voorbeeld', author: 'K', kenmerk: 'KT-2026-0000001', date })
        .blocks.find((b) => b.key === 'rechtsmiddelen')?.paragraphs.join('\n') ?? '';
    const friday = clauseOn(Date.UTC(2026, 1, 20, 10)); // sent on a Friday whose term ends on Goede Vrijdag
    expect(friday).toBe(clauseOn(Date.UTC(2024, 10, 13, 10)));
    expect(friday).not.toMatch(/\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}/);
    // The kenmerk in running text keeps its hyphens from breaking (U+2011, P7).
    expect(friday.replaceAll('\u2011', '-')).toContain('het kenmerk KT-2026-0000001');
  });
});

describe('besluit-rechtsmiddelen checks a written clause', () => {
  const good =
    'U kunt binnen zes weken bezwaar maken. De termijn begint op de dag na verzending. Uw bezwaar is op tijd als wij het binnen de termijn ontvangen. ' +
    'Met de post: op tijd op de post gedaan en uiterlijk één week na de termijn ontvangen.';
  it('[J7] a clause with every element passes', () => {
    expect(statesObjectionTerm(good)).toBe(true);
  });
  it.each([
    ['no objection', good.replace('bezwaar maken', 'reageren').replace('Uw bezwaar', 'Uw brief')],
    ['no six weeks', good.replace('binnen zes weken', 'snel')],
    ['no start (the day after sending)', good.replace('De termijn begint op de dag na verzending. ', '')],
    ['no receipt rule (6:9 lid 1)', good.replace(/ontvangen/g, 'gelezen')],
    ['no post rule (6:9 lid 2)', good.replace(' Met de post: op tijd op de post gedaan en uiterlijk één week na de termijn ontvangen.', '')],
    ['a week, but not for post', good.replace('Met de post: op tijd op de post gedaan', 'Of op tijd verstuurd')],
    ['the old wording: "uiterlijk op {bezwaartermijnEinde} bij ons binnen"', `${good} Uw bezwaar moet uiterlijk op {bezwaartermijnEinde} bij ons binnen zijn.`],
    [
      'the old clause of the built-in templates',
      'Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dat doet u binnen zes weken na de dag waarop wij dit besluit hebben verstuurd. ' +
        'Uw bezwaar moet uiterlijk op {bezwaartermijnEinde} bij ons binnen zijn.',
    ],
  ])('[J7] refused: %s', (_case, text) => {
    expect(statesObjectionTerm(text)).toBe(false);
  });
});

// Z25: what a version is filed as is fixed when it is printed: the archive metadata keeps the
// template's `dms.zgw` block, whether it is a decision, and its ingangsdatum. printLetter runs with
// a stand-in renderer (the PDF bytes do not matter here; tests/integration/submit.test.ts renders).
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { printLetter } from '../../../server/submit/render-decision';
import { fillDecision } from '../../support/decision';
import { fillLetter } from '../../support/letter';
import { maatwerkbesluitTemplate } from '../../../shared/templates/builtin/maatwerkbesluit';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import type { Template } from '../../../shared/templates/schema';

const deps = { store: { getUser: () => Promise.resolve(null) }, municipality: 'Gemeente Voorbeeld', renderPdf: () => Promise.resolve(Uint8Array.of(37, 80, 68, 70)) };
const info = { id: 'doc-1', teamId: 'centrum', createdBy: 'u-vera' };
const BT = 'https://openzaak.example.nl/catalogi/api/v1/besluittypen/toekenning';

async function metadataOf(template: Template, doc: Y.Doc) {
  const printed = await printLetter(deps, { template, doc, kenmerk: 'KT-2026-0000042', at: Date.UTC(2026, 2, 2, 9), authorId: 'u-vera', signerId: 'u-vera', fallbackTitle: 'x' });
  return printed.metadata;
}

describe('the version keeps what it is filed as', () => {
  it('[Z25] a decision keeps its template\'s dms.zgw block, the besluit mark and its ingangsdatum; a letter neither', async () => {
    const withZgw: Template = { ...maatwerkbesluitTemplate, dms: { documentType: 'Beschikking', confidentiality: 'zaakvertrouwelijk', zgw: { besluittype: BT, indicatieGebruiksrecht: true } } };
    const decision = new Y.Doc();
    fillDecision(decision, info, { maatwerk: false });
    expect(await metadataOf(withZgw, decision)).toMatchObject({ zgw: { besluittype: BT, indicatieGebruiksrecht: true }, besluit: true, ingangsdatum: '2026-03-01', creatiedatum: '2026-03-02' });

    const letter = new Y.Doc();
    fillLetter(letter, info);
    const plain = await metadataOf(briefTemplate, letter);
    expect(plain).not.toHaveProperty('zgw');
    expect(plain).not.toHaveProperty('besluit');
    expect(plain).not.toHaveProperty('ingangsdatum');
  });
});

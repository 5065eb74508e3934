// F16: the shared letter layout (PDF and preview alike) names the attachments under "Bijlagen":
// caption, else name, in the document's order; none listed, no list; read-along masks a BSN in it.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAttachment, removeAttachment } from '../../../shared/model/attachments';
import { buildLetterLayout } from '../../../shared/render/letter';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { fillLetter } from '../../support/letter';

const context = { municipality: 'Gemeente Voorbeeld', author: 'Vera Veldwerker', date: Date.UTC(2026, 11, 3), kenmerk: 'KT-2026-0000001' };
const ref = (id: string, name: string, caption: string, addedAt: number) => ({
  id,
  name,
  mediaType: 'image/jpeg' as const,
  size: 10,
  sha256: 'ab'.repeat(32),
  caption,
  addedBy: 'u',
  addedAt,
});

describe('letter: Bijlagen', () => {
  it('[F16] lists each attachment by caption, else name, oldest first; without attachments there is no list', () => {
    const doc = new Y.Doc();
    fillLetter(doc, { id: 'd', teamId: 't', createdBy: 'u' });
    expect(buildLetterLayout(briefTemplate, doc, context).attachments).toBeUndefined();
    addAttachment(doc, ref('22222222-2222-4222-8222-222222222222', 'brief.pdf', '', 2));
    addAttachment(doc, ref('11111111-1111-4111-8111-111111111111', 'IMG_1.jpg', '  Vochtplek\n slaapkamer ', 1));
    addAttachment(doc, ref('33333333-3333-4333-8333-333333333333', 'weg.jpg', '', 3));
    removeAttachment(doc, '33333333-3333-4333-8333-333333333333');
    expect(buildLetterLayout(briefTemplate, doc, context).attachments).toEqual(['Vochtplek slaapkamer', 'brief.pdf']);
  });

  it('[F16] read-along masks a BSN in a caption, as everywhere else in the letter', () => {
    const doc = new Y.Doc();
    fillLetter(doc, { id: 'd', teamId: 't', createdBy: 'u' });
    addAttachment(doc, ref('11111111-1111-4111-8111-111111111111', 'id.jpg', 'Kopie ID 111222333', 1));
    expect(buildLetterLayout(briefTemplate, doc, { ...context, maskBsn: true }).attachments?.[0]).not.toContain('111222333');
  });
});

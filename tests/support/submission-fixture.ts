// Puts one submitted letter, with its delivery due, straight into a store: the starting point
// of every outbox test that drives the worker by hand (no server, no rendering).
import type { Store } from '../../server/store/types';
import { WorkflowStatus } from '../../shared/model/index-entry';

export interface SeedOptions {
  identificatie: string;
  title?: string;
  author?: string;
  documenttype?: string;
  confidentiality?: string;
}

export async function seedSubmittedLetter(store: Store, options: SeedOptions): Promise<void> {
  const title = options.title ?? 'Brief';
  await store.createDocument({
    id: 'doc-1',
    teamId: 'centrum',
    createdBy: 'user-1',
    createdAt: 0,
    updatedAt: 0,
    title,
    templateId: 'brief',
    kind: 'brief',
    zaak: 'ZAAK-1',
    status: WorkflowStatus.concept,
  });
  await store.commitSubmission({
    record: { idempotencyKey: 'submit-0001', docId: 'doc-1', userId: 'user-1', type: 'submit', at: 1_000, httpStatus: 202, response: '{}' },
    submission: {
      docId: 'doc-1',
      version: 1,
      identificatie: options.identificatie,
      zaak: 'ZAAK-1',
      templateId: 'brief',
      templateVersion: 1,
      submittedBy: 'user-1',
      submittedAt: 1_000,
      content: Uint8Array.of(1),
      contentSha256: 'a'.repeat(64),
      pdf: Uint8Array.of(37, 80, 68, 70),
      pdfSha256: 'b'.repeat(64),
      metadata: {
        title,
        author: options.author ?? 'V',
        creatiedatum: '2026-01-01',
        taal: 'nld',
        documenttype: options.documenttype ?? 'Brief',
        vertrouwelijkheidaanduiding: options.confidentiality ?? 'intern',
      },
    },
    patch: { status: WorkflowStatus.submitted, updatedAt: 1_000 },
    ifStatus: WorkflowStatus.concept,
    dueAt: 1_000,
  });
}

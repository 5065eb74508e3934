// Puts one submitted letter, with its delivery due, straight into a store: the starting point
// of every outbox test that drives the worker by hand (no server, no rendering).
import type { ArchiveMetadata, Store } from '../../server/store/types';
import { WorkflowStatus } from '../../shared/model/index-entry';

export interface SeedOptions {
  identificatie: string;
  /** 'doc-1' unless given: several letters in one store need their own documents. */
  docId?: string;
  /** When it was submitted and its delivery is due; 1000 unless given. */
  at?: number;
  title?: string;
  author?: string;
  documenttype?: string;
  confidentiality?: string;
  /** Z25: more archive metadata (a decision's `dms.zgw` snapshot, `besluit`, `ingangsdatum`). */
  metadata?: Partial<ArchiveMetadata>;
}

export async function seedSubmittedLetter(store: Store, options: SeedOptions): Promise<void> {
  const title = options.title ?? 'Brief';
  const docId = options.docId ?? 'doc-1';
  const at = options.at ?? 1_000;
  await store.createDocument({
    id: docId,
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
    record: { idempotencyKey: `submit-${docId}`, docId, userId: 'user-1', type: 'submit', at, httpStatus: 202, response: '{}' },
    submission: {
      docId,
      version: 1,
      identificatie: options.identificatie,
      zaak: 'ZAAK-1',
      templateId: 'brief',
      templateVersion: 1,
      submittedBy: 'user-1',
      submittedAt: at,
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
        ...options.metadata,
      },
    },
    patch: { status: WorkflowStatus.submitted, updatedAt: at },
    ifStatus: WorkflowStatus.concept,
    dueAt: at,
  });
}

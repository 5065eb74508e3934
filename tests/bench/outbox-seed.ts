// The outbox benchmark's starting points: one real letter PDF/A (rendered once, as a submit
// does), a fresh SQLite store in a temp folder, and submissions put straight into it with their
// delivery due, as many as a figure needs. Seeding is not measured; delivering is.
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as Y from 'yjs';
import { renderLetterPdf } from '../../server/pdf/render-letter';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/store';
import type { ArchiveMetadata } from '../../server/store/types';
import { identificatieFor } from '../../server/submit/identificatie';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { buildLetterLayout } from '../../shared/render/letter';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import { fillLetter, sampleLetter } from '../support/letter';
import { tempDir } from './target';

export const BENCH_ZAAK = sampleLetter.zaaknummer;
export const BENCH_RSIN = '002220647';

/** What every delivery in the benchmark carries: the same bytes as a real submit's. */
export interface BenchPdf {
  pdf: Uint8Array;
  pdfSha256: string;
  metadata: ArchiveMetadata;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function renderBenchPdf(): Promise<BenchPdf> {
  const doc = new Y.Doc();
  try {
    fillLetter(doc, { id: randomUUID(), teamId: 'bench', createdBy: 'bench' });
    const at = Date.UTC(2026, 10, 28, 12);
    const layout = buildLetterLayout(briefTemplate, doc, { municipality: 'Gemeente Voorbeeld', author: 'Vera Veldwerker', date: at, kenmerk: 'KT-0000000000000000-v1' });
    const metadata: ArchiveMetadata = {
      title: sampleLetter.onderwerp,
      author: 'Vera Veldwerker',
      creatiedatum: '2026-11-28',
      taal: 'nld',
      documenttype: 'Brief',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
    };
    const pdf = await renderLetterPdf({ layout, title: metadata.title, author: metadata.author, subject: `Brief, zaak ${BENCH_ZAAK}`, keywords: [BENCH_ZAAK], now: at });
    return { pdf, pdfSha256: sha256Hex(pdf), metadata };
  } finally {
    doc.destroy();
  }
}

export interface BenchStore {
  store: SqliteStore;
  dir: string;
  remove(): Promise<void>;
}

/** A fresh SQLite store (WAL, synchronous FULL as `npm start` runs it) in its own temp folder. */
export function openBenchStore(): BenchStore {
  const dir = tempDir('kt-bench-outbox-');
  const store = openSqliteStore(join(dir.path, 'keukentafel.sqlite'), { synchronous: 'FULL' });
  return {
    store,
    dir: dir.path,
    async remove() {
      await store.close();
      dir.remove();
    },
  };
}

/** Submits `count` letters into `store`, the delivery of the i-th due at `dueAt(i)`; returns their identificaties. */
export async function seedSubmissions(store: SqliteStore, pdf: BenchPdf, count: number, dueAt: (i: number) => number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push(await seedOne(store, pdf, dueAt(i)));
  return ids;
}

export async function seedOne(store: SqliteStore, pdf: BenchPdf, at: number): Promise<string> {
  const docId = randomUUID();
  const identificatie = identificatieFor(docId, 1);
  await store.createDocument({
    id: docId,
    teamId: 'bench',
    createdBy: 'bench-user',
    createdAt: at,
    updatedAt: at,
    title: pdf.metadata.title,
    templateId: briefTemplate.id,
    kind: briefTemplate.kind,
    zaak: BENCH_ZAAK,
    status: WorkflowStatus.concept,
  });
  const content = Uint8Array.of(1);
  await store.commitSubmission({
    record: { idempotencyKey: `bench-${docId}`, docId, userId: 'bench-user', type: 'submit', at, httpStatus: 202, response: '{}' },
    submission: {
      docId,
      version: 1,
      identificatie,
      zaak: BENCH_ZAAK,
      templateId: briefTemplate.id,
      templateVersion: briefTemplate.version,
      submittedBy: 'bench-user',
      submittedAt: at,
      content,
      contentSha256: sha256Hex(content),
      pdf: pdf.pdf,
      pdfSha256: pdf.pdfSha256,
      metadata: pdf.metadata,
    },
    patch: { status: WorkflowStatus.submitted, updatedAt: at },
    ifStatus: WorkflowStatus.concept,
    dueAt: at,
  });
  return identificatie;
}

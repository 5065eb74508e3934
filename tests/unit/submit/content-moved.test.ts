// CL27 in the submit action: a commit refused because an update was stored after the content was
// read makes the action read the content again; when devices keep editing through another
// process faster than that, it gives up after three rounds with a retryable 503 and stores nothing.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { performAction, type ActionDeps } from '../../../server/http/actions';
import { createMemoryStore } from '../../../server/store/memory/store';
import type { SubmissionRecord } from '../../../server/store/types';
import type { Preparation } from '../../../server/submit/prepare-submission';
import { WorkflowStatus } from '../../../shared/model/index-entry';
import { bodyOf, bodyText } from '../../support/body-text';

const DOC_ID = '6f1c2b1e-3b7a-4c1d-9e2f-0a1b2c3d4e5f';
const ROOM = `doc:${DOC_ID}`;

function submission(content: Uint8Array): SubmissionRecord {
  return {
    docId: DOC_ID,
    version: 1,
    identificatie: 'KT-2026-0001',
    zaak: 'ZAAK-2026-0042',
    templateId: 'brief',
    templateVersion: 1,
    submittedBy: 'user-1',
    submittedAt: 2_000,
    content,
    contentSha256: 'a'.repeat(64),
    pdf: Uint8Array.of(37, 80, 68, 70),
    pdfSha256: 'b'.repeat(64),
    metadata: { title: 'Brief', author: 'Vera', creatiedatum: '2026-03-02', taal: 'nld', documenttype: 'Brief', vertrouwelijkheidaanduiding: 'zaakvertrouwelijk' },
  };
}

/** A submit whose content read is followed by another process's edit in the first `edits` rounds. */
async function submitWhileEdited(edits: number): Promise<{ status: number; body: unknown; reads: number; store: ReturnType<typeof createMemoryStore> }> {
  const store = createMemoryStore();
  await store.createDocument({ id: DOC_ID, teamId: 'centrum', createdBy: 'user-1', createdAt: 1, updatedAt: 1, title: '', templateId: null, kind: null, zaak: null, status: WorkflowStatus.concept });
  const writer = new Y.Doc();
  const edit = async (text: string): Promise<void> => {
    const before = Y.encodeStateVector(writer);
    bodyText(writer).insert(bodyOf(writer).length, text);
    await store.appendUpdates([{ docId: ROOM, update: Y.encodeStateAsUpdate(writer, before), userId: 'user-2', deviceId: 'd', connId: 'c', at: 1 }]);
  };
  await edit('een');
  let reads = 0;
  const prepareSubmission = async (): Promise<Preparation> => {
    reads += 1;
    const content = Y.mergeUpdates((await store.loadUpdates(ROOM)).updates);
    if (reads <= edits) await edit(` ${reads}`);
    return { ok: true, needsApproval: true, decision: null, submission: submission(content) };
  };
  const deps: ActionDeps = {
    store,
    nameOf: (id) => Promise.resolve(id),
    documentChanged: () => Promise.resolve(),
    prepareSubmission,
    renderDecision: () => Promise.reject(new Error('not used')),
    dayOf: () => '2026-03-02',
    deliveryQueued: () => undefined,
    now: () => 2_000,
  };
  const answer = await performAction(deps, { docId: DOC_ID, userId: 'user-1', teamId: 'centrum', roles: ['field'], type: 'submit', idempotencyKey: 'k_submit_0001' });
  return { status: answer.httpStatus, body: JSON.parse(answer.body) as unknown, reads, store };
}

describe('a submit whose content moved (CL27)', () => {
  it('[CL27] reads the content again and submits what the store holds then', async () => {
    const { status, reads, store } = await submitWhileEdited(1);
    expect(status).toBe(202);
    expect(reads).toBe(2);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await store.getSubmission(DOC_ID, 1))?.content ?? new Uint8Array());
    expect(bodyOf(stored)).toBe('een 1');
  });

  it('[CL27] gives up after three reads with 503 content-unavailable and stores nothing', async () => {
    const { status, body, reads, store } = await submitWhileEdited(10);
    expect({ status, body, reads }).toEqual({ status: 503, body: { error: 'content-unavailable' }, reads: 3 });
    expect(await store.latestSubmissionVersion(DOC_ID)).toBe(0);
    expect(await store.getAction('k_submit_0001')).toBeNull();
    expect((await store.getDocument(DOC_ID))?.status).toBe(WorkflowStatus.concept);
  });
});

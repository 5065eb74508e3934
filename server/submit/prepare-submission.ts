// W2 + W3: turns a document's committed content into a submission, or into the problems that
// refuse it. Freezes the Yjs update with its SHA-256, resolves the exact template version,
// validates, renders the PDF/A from the shared letter layout and fixes the DMS metadata, so
// every later delivery attempt sends the same bytes. Stores nothing: the action commits it.
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/document';
import { approvalRequired, ProblemRule, validateDocument, type Problem } from '../../shared/validate/validate-document';
import { PdfRenderError } from '../pdf/pdf-renderer';
import type { RoomManager } from '../sync/room-manager';
import type { AccountStore, AttachmentStore, DecisionRecord, DocumentRow, SubmissionRecord, SubmissionStore } from '../store/types';
import { freezeAttachment, readAttachments, type AttachmentRef, type FrozenAttachment } from '../../shared/model/attachments';
import type { TemplateRegistry } from '../templates/registry';
import { readCommittedContent } from './content';
import { sha256Hex } from './hashing';
import { reserveIdentificatie } from './identificatie';
import { decisionOf, printLetter, type LetterDeps } from './render-decision';

export interface SubmitDeps extends LetterDeps {
  store: Pick<SubmissionStore, 'latestSubmissionVersion' | 'reserveIdentificatie'> & Pick<AccountStore, 'getUser'> & Pick<AttachmentStore, 'getAttachment'>;
  /** F14: ATTACHMENT_MAX_PER_DOCUMENT; unlimited when absent. */
  maxAttachments?: number;
  rooms: Pick<RoomManager, 'acquire' | 'release' | 'flush' | 'mergeFromStore'>;
  templates: Pick<TemplateRegistry, 'get'>;
  /** Z23: why a template refuses submits (its archive type is missing or unpublished in the DMS); null: it does not. */
  refusedTemplate?: (id: string, version: number) => string | null;
  /** X7: a problem when the DMS says the zaak is unknown or closed; null when fine or unknowable. */
  checkZaak?: (zaak: string, userId: string, section: string) => Promise<SubmitProblem | null>;
}

/** A problem as the 422 answer carries it (W3): errors only, without their severity. */
export type SubmitProblem = Omit<Problem, 'severity'>;

export type Preparation =
  /**
   * `needsApproval`: the template asks a second official to approve it first (W4, T7); otherwise
   * the submit is the decision (J1) and `decision` holds it.
   */
  | { ok: true; submission: SubmissionRecord; needsApproval: boolean; decision: DecisionRecord | null }
  | { ok: false; reason: 'problems'; problems: SubmitProblem[] }
  /** The content could not be made durable right now (store failing, endless edits): try later. */
  | { ok: false; reason: 'content-unavailable' };

export async function prepareSubmission(
  deps: SubmitDeps,
  input: { row: DocumentRow; userId: string; at: number },
): Promise<Preparation> {
  const { row, userId, at } = input;
  const content = await readCommittedContent(deps.rooms, row.id);
  if (content === null) return { ok: false, reason: 'content-unavailable' };

  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, content);
    const meta = readMeta(doc);
    const template =
      meta.templateId !== null && meta.templateVersion !== null ? deps.templates.get(meta.templateId, meta.templateVersion) : null;
    if (template === null) {
      return {
        ok: false,
        reason: 'problems',
        problems: [
          {
            section: 'meta',
            rule: ProblemRule.unknownTemplate,
            message: 'Dit document hoort niet bij een sjabloon dat de server kent, en kan daarom niet worden ingediend.',
          },
        ],
      };
    }
    // Z23: the DMS cannot file this template's documents (the check at start, Z22): say so, keep the draft.
    const refused = deps.refusedTemplate?.(template.id, template.version) ?? null;
    if (refused !== null) return { ok: false, reason: 'problems', problems: [{ section: 'meta', rule: ProblemRule.dmsTypeUnavailable, message: refused }] };
    // Hints advise the official while writing (T8); only errors refuse a submit (W3).
    const problems = validateDocument(template, doc)
      .filter((p) => p.severity === 'error')
      .map(({ section, rule, message }) => ({ section, rule, message }));
    // F14: every listed attachment must be on the server whole, with the bytes the list names.
    const listed = readAttachments(doc);
    const attachments = await checkAttachments(deps, row.id, listed);
    problems.push(...attachments.problems);
    if (problems.length > 0) return { ok: false, reason: 'problems', problems };
    // X7: only a valid document asks the DMS about its zaak (one call, after the cheap checks).
    const zaakRefusal = meta.zaak === null || deps.checkZaak === undefined ? null : await deps.checkZaak(meta.zaak, userId, template.zaakField ?? 'meta');
    if (zaakRefusal !== null) return { ok: false, reason: 'problems', problems: [zaakRefusal] };

    const version = (await deps.store.latestSubmissionVersion(row.id)) + 1;
    // J9: reserved (or found again, on a retry) before the PDF prints it as the kenmerk.
    const identificatie = await reserveIdentificatie(deps.store, row.id, version, at);
    // Printed as of today, signed by the submitter: the decided letter when no approval is needed
    // (J1: the submit is then the decision); under four eyes, the version as submitted, and the
    // approver's decision prints it again on the day of approval.
    const printing = await printOrProblem(() =>
      printLetter(deps, { template, doc, kenmerk: identificatie, at, authorId: userId, signerId: userId, fallbackTitle: meta.title }),
    );
    if (!printing.ok) return { ok: false, reason: 'problems', problems: [printing.problem] };
    const { printed } = printing;
    const needsApproval = approvalRequired(template, doc);
    const submission: SubmissionRecord = {
      docId: row.id,
      version,
      identificatie,
      zaak: printed.layout.zaak,
      templateId: template.id,
      templateVersion: template.version,
      submittedBy: userId,
      submittedAt: at,
      content,
      contentSha256: sha256Hex(content),
      pdf: printed.pdf,
      pdfSha256: sha256Hex(printed.pdf),
      metadata: printed.metadata,
      // F9: frozen with the version, in the document's order; the bytes stay in the attachment store.
      ...(attachments.frozen.length === 0 ? {} : { attachments: attachments.frozen }),
    };
    return {
      ok: true,
      needsApproval,
      submission,
      decision: needsApproval ? null : decisionOf(submission, template, printed, userId, at),
    };
  } finally {
    doc.destroy();
  }
}

export { amsterdamDate, sha256Hex } from './hashing';

/** F14: the listed attachments frozen, or a problem for each one the server does not hold whole. */
async function checkAttachments(
  deps: SubmitDeps,
  docId: string,
  listed: readonly AttachmentRef[],
): Promise<{ frozen: FrozenAttachment[]; problems: SubmitProblem[] }> {
  const problems: SubmitProblem[] = [];
  if (deps.maxAttachments !== undefined && listed.length > deps.maxAttachments) {
    problems.push({
      section: 'attachments',
      rule: ProblemRule.tooManyAttachments,
      message: `Dit document heeft ${listed.length} bijlagen; ten hoogste ${deps.maxAttachments} kunnen mee. Verwijder er ${listed.length - deps.maxAttachments}.`,
    });
  }
  for (const ref of listed) {
    const stored = await deps.store.getAttachment(docId, ref.id);
    const whole = stored !== null && stored.completedAt !== null && stored.sha256 === ref.sha256 && stored.size === ref.size && stored.mediaType === ref.mediaType;
    if (!whole) {
      problems.push({
        section: 'attachments',
        rule: ProblemRule.attachmentNotSent,
        message: `Bijlage ‘${ref.name}’ is nog niet verzonden. Wacht tot het apparaat verbinding heeft en de bijlage ‘Verzonden’ toont, en dien dan opnieuw in.`,
      });
    }
  }
  return { frozen: listed.map(freezeAttachment), problems };
}

/**
 * P12: a letter whose PDF cannot be made (past the time limit, a render error, its thread died)
 * fails as a problem of this document, in Dutch, not as a 5xx the device would retry for ever;
 * a renderer that is closing (the server stops) is not the document's fault and still throws.
 */
async function printOrProblem<T>(print: () => Promise<T>): Promise<{ ok: true; printed: T } | { ok: false; problem: SubmitProblem }> {
  try {
    return { ok: true, printed: await print() };
  } catch (error) {
    if (!(error instanceof PdfRenderError) || error.reason === 'closed') throw error;
    return { ok: false, problem: { section: 'meta', rule: ProblemRule.pdfRenderFailed, message: renderFailureMessage(error) } };
  }
}

export function renderFailureMessage(error: PdfRenderError): string {
  if (error.reason === 'timeout') {
    return 'PDF kon niet worden gemaakt: het opmaken van de brief duurde te lang. Maak lange teksten korter en dien opnieuw in.';
  }
  return 'PDF kon niet worden gemaakt: de brief kon niet worden opgemaakt. Controleer de tekst en dien opnieuw in; lukt het niet, meld het dan bij de beheerder.';
}

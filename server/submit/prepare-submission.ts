// W2 + W3: turns a document's committed content into a submission, or into the problems that
// refuse it. Freezes the Yjs update with its SHA-256, resolves the exact template version,
// validates, renders the PDF/A from the shared letter layout and fixes the DMS metadata, so
// every later delivery attempt sends the same bytes. Stores nothing: the action commits it.
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { readMeta } from '../../shared/model/document';
import { buildLetterLayout } from '../../shared/render/letter';
import type { Template } from '../../shared/templates/schema';
import { approvalRequired, ProblemRule, validateDocument, type Problem } from '../../shared/validate/validate-document';
import type { LetterLogo } from '../pdf/logo';
import { PdfRenderError } from '../pdf/pdf-renderer';
import { renderLetterPdf, type LetterPdfInput } from '../pdf/render-letter';
import type { RoomManager } from '../sync/room-manager';
import type { AccountStore, ArchiveMetadata, DocumentRow, SubmissionRecord, SubmissionStore } from '../store/types';
import type { TemplateRegistry } from '../templates/registry';
import { readCommittedContent } from './content';
import { identificatieFor } from './identificatie';

export interface SubmitDeps {
  store: Pick<SubmissionStore, 'latestSubmissionVersion'> & Pick<AccountStore, 'getUser'>;
  rooms: Pick<RoomManager, 'acquire' | 'release' | 'flush'>;
  templates: Pick<TemplateRegistry, 'get'>;
  /** Printed in the letterhead and the mandate line. */
  municipality: string;
  /** The letterhead's logo (MUNICIPALITY_LOGO); none prints the name alone. */
  logo?: LetterLogo | null;
  /** Where the PDF is rendered (pdf-renderer.ts: a worker thread); in-process when absent. */
  renderPdf?: (input: LetterPdfInput) => Promise<Uint8Array>;
}

/** A problem as the 422 answer carries it (W3): errors only, without their severity. */
export type SubmitProblem = Omit<Problem, 'severity'>;

export type Preparation =
  /** `needsApproval`: the template asks a second official to approve it first (W4, T7). */
  | { ok: true; submission: SubmissionRecord; needsApproval: boolean }
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
    // Hints advise the official while writing (T8); only errors refuse a submit (W3).
    const problems = validateDocument(template, doc)
      .filter((p) => p.severity === 'error')
      .map(({ section, rule, message }) => ({ section, rule, message }));
    if (problems.length > 0) return { ok: false, reason: 'problems', problems };

    const version = (await deps.store.latestSubmissionVersion(row.id)) + 1;
    const identificatie = identificatieFor(row.id, version);
    const author = (await deps.store.getUser(userId))?.name ?? userId;
    const layout = buildLetterLayout(template, doc, { municipality: deps.municipality, author, date: at, kenmerk: identificatie });
    const metadata = archiveMetadata(template, layout.subject || meta.title, author, at);
    const rendered = await renderOrProblem(deps, {
      layout,
      title: metadata.title,
      author,
      subject: `${metadata.documenttype}, zaak ${layout.zaak}`,
      keywords: [layout.zaak, identificatie, `${template.id}@${template.version}`],
      now: at,
      logo: deps.logo ?? null,
    });
    if (!rendered.ok) return { ok: false, reason: 'problems', problems: [rendered.problem] };
    const { pdf } = rendered;
    return {
      ok: true,
      needsApproval: approvalRequired(template, doc),
      submission: {
        docId: row.id,
        version,
        identificatie,
        zaak: layout.zaak,
        templateId: template.id,
        templateVersion: template.version,
        submittedBy: userId,
        submittedAt: at,
        content,
        contentSha256: sha256Hex(content),
        pdf,
        pdfSha256: sha256Hex(pdf),
        metadata,
      },
    };
  } finally {
    doc.destroy();
  }
}

/**
 * P12: a letter whose PDF cannot be made (past the time limit, a render error, its thread died)
 * fails as a problem of this document, in Dutch, not as a 5xx the device would retry for ever;
 * a renderer that is closing (the server stops) is not the document's fault and still throws.
 */
async function renderOrProblem(deps: SubmitDeps, input: LetterPdfInput): Promise<{ ok: true; pdf: Uint8Array } | { ok: false; problem: SubmitProblem }> {
  try {
    return { ok: true, pdf: await (deps.renderPdf ?? renderLetterPdf)(input) };
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

function archiveMetadata(template: Template, title: string, author: string, at: number): ArchiveMetadata {
  return {
    title: title.trim() || template.title,
    author,
    creatiedatum: amsterdamDate(at),
    taal: 'nld',
    documenttype: template.dms?.documentType ?? template.title,
    // Without a template's say-so, the cautious default for a case document.
    vertrouwelijkheidaanduiding: template.dms?.confidentiality ?? 'zaakvertrouwelijk',
  };
}

/** YYYY-MM-DD of `ms` in Europe/Amsterdam: the date on the letter is the archive's creatiedatum. */
export function amsterdamDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

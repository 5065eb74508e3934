// J1, J4: prints a letter as it reads on the day a decision is taken: dated that day, signed by
// the official who takes it (name and function title under the template's mandate line), with
// the author as contact. Used at submit (the submitted version) and when the decision is taken.
import * as Y from 'yjs';
import { readField } from '../../shared/model/document';
import { isIsoDate } from '../../shared/validate/rules';
import { buildLetterLayout, type LetterContext, type LetterLayout } from '../../shared/render/letter';
import type { DesignatedDay } from '../../shared/law/designated-days';
import type { MunicipalityContact } from '../../shared/protocol/municipality';
import type { Template } from '../../shared/templates/schema';
import type { LetterLogo } from '../pdf/logo';
import { renderLetterPdf, type LetterPdfInput } from '../pdf/render-letter';
import type { AccountStore, ArchiveMetadata, DecisionRecord, SubmissionRecord, UserRow } from '../store/types';
import type { TemplateRegistry } from '../templates/registry';
import { amsterdamDate, sha256Hex } from './hashing';

export interface LetterDeps {
  store: Pick<AccountStore, 'getUser'>;
  /** Printed in the letterhead and the mandate line. */
  municipality: string;
  /** The letterhead's logo (MUNICIPALITY_LOGO); none prints the name alone. */
  logo?: LetterLogo | null;
  /** The letterhead's address, telephone and website (MUNICIPALITY_ADDRESS …, P6). */
  contact?: MunicipalityContact;
  /** J5: days designated under Atw art. 3 lid 3 beyond the built-in table (HOLIDAYS_FILE), for bezwaartermijnEinde. */
  designatedDays?: readonly DesignatedDay[];
  /** Where the PDF is rendered (pdf-renderer.ts: a worker thread); in-process when absent. */
  renderPdf?: (input: LetterPdfInput) => Promise<Uint8Array>;
}

export interface PrintedLetter {
  layout: LetterLayout;
  pdf: Uint8Array;
  metadata: ArchiveMetadata;
  signer: { name: string; functionTitle: string | null };
}

/** The letter of `doc` dated `at`, written by `authorId` and signed by `signerId`. */
export async function printLetter(
  deps: LetterDeps,
  input: { template: Template; doc: Y.Doc; kenmerk: string; at: number; authorId: string; signerId: string; fallbackTitle: string },
): Promise<PrintedLetter> {
  const { template, doc, kenmerk, at } = input;
  const authorRow = await deps.store.getUser(input.authorId);
  const signerRow = input.signerId === input.authorId ? authorRow : await deps.store.getUser(input.signerId);
  const author = authorRow?.name ?? input.authorId;
  const signerName = signerRow?.name ?? input.signerId;
  const signerTitle = signerRow?.functionTitle ?? null;
  const context: LetterContext = {
    municipality: deps.municipality,
    author,
    date: at,
    kenmerk,
    ...(deps.contact === undefined ? {} : { contact: deps.contact }),
    official: contactOf(authorRow, author),
    signer: { name: signerName, ...(signerTitle === null ? {} : { functionTitle: signerTitle }) },
  };
  const layout = buildLetterLayout(template, doc, context);
  const metadata = archiveMetadata(template, layout.subject || input.fallbackTitle, author, at, doc);
  const pdf = await (deps.renderPdf ?? renderLetterPdf)({
    layout,
    title: metadata.title,
    author,
    subject: `${metadata.documenttype}, zaak ${layout.zaak}`,
    keywords: [layout.zaak, kenmerk, `${template.id}@${template.version}`],
    now: at,
    logo: deps.logo ?? null,
  });
  return { layout, pdf, metadata, signer: { name: signerName, functionTitle: signerTitle } };
}

/** J1: the decision on `submission`, taken by `deciderId` at `at`: the PDF as it will be archived. */
export async function renderDecision(
  deps: LetterDeps & { templates: Pick<TemplateRegistry, 'get'> },
  input: { submission: SubmissionRecord; deciderId: string; at: number },
): Promise<DecisionRecord> {
  const { submission, deciderId, at } = input;
  const template = deps.templates.get(submission.templateId, submission.templateVersion);
  if (template === null) throw new Error(`template ${submission.templateId}@${submission.templateVersion} is not loaded`);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, submission.content);
    const printed = await printLetter(deps, {
      template,
      doc,
      kenmerk: submission.identificatie,
      at,
      authorId: submission.submittedBy,
      signerId: deciderId,
      fallbackTitle: submission.metadata.title,
    });
    return decisionOf(submission, template, printed, deciderId, at);
  } finally {
    doc.destroy();
  }
}

/** The decision record of a printed letter. */
export function decisionOf(
  submission: Pick<SubmissionRecord, 'docId' | 'version'>,
  template: Template,
  printed: PrintedLetter,
  deciderId: string,
  at: number,
): DecisionRecord {
  return {
    docId: submission.docId,
    version: submission.version,
    decidedBy: deciderId,
    decidedAt: at,
    dagtekening: amsterdamDate(at),
    signerName: printed.signer.name,
    signerFunctionTitle: printed.signer.functionTitle,
    pdf: printed.pdf,
    pdfSha256: sha256Hex(printed.pdf),
    metadata: printed.metadata,
    sentOn: template.dms?.sentOn ?? 'delivery',
  };
}

function contactOf(user: UserRow | null, name: string): NonNullable<LetterContext['official']> {
  return {
    name,
    ...(user?.functionTitle == null ? {} : { functionTitle: user.functionTitle }),
    ...(user?.email == null ? {} : { email: user.email }),
    ...(user?.phone == null ? {} : { phone: user.phone }),
  };
}

/** The archive's metadata of a letter on `template` printed at `at` (exported for the MDTO test, M3, and the Z14 test). */
export function archiveMetadata(template: Template, title: string, author: string, at: number, doc?: Y.Doc): ArchiveMetadata {
  // Z20, Z25: the ZGW types and the decision's dates travel with the version, as printed.
  const ingangsField = template.fields.find((f) => f.role === 'ingangsdatum');
  const ingangsdatum = ingangsField === undefined || doc === undefined ? '' : readField(doc, ingangsField.key).trim();
  return {
    ...(template.dms?.zgw === undefined ? {} : { zgw: template.dms.zgw }),
    ...(template.kind === 'besluit' ? { besluit: true } : {}),
    ...(isIsoDate(ingangsdatum) ? { ingangsdatum } : {}),
    title: title.trim() || template.title,
    author,
    creatiedatum: amsterdamDate(at),
    taal: 'nld',
    documenttype: template.dms?.documentType ?? template.title,
    // Without a template's say-so, the cautious default for a case document.
    vertrouwelijkheidaanduiding: template.dms?.confidentiality ?? 'zaakvertrouwelijk',
    archive: { templateId: template.id, templateVersion: template.version, block: template.dms?.archive ?? null },
  };
}

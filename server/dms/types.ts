// The seam to the municipality's DMS (O1–O3): deliver one submission, or look it up by its
// deterministic identificatie after an attempt whose outcome is unknown. Adapters answer with
// values for everything they expect (refusals, unreachable DMS); a throw means "don't know".
import type { DeliveryFailure } from '../../shared/protocol/delivery-failure';
import type { FrozenAttachment } from '../../shared/model/attachments';
import type { Template } from '../../shared/templates/schema';
import type { ArchiveMetadata } from '../store/types';

/** What an adapter gets for one submission: the bytes and everything the archive needs. */
export interface Delivery {
  identificatie: string;
  zaak: string;
  pdf: Uint8Array;
  /** SHA-256 of `pdf`, hex: the integrity value the archive keeps. */
  pdfSha256: string;
  metadata: ArchiveMetadata;
  /**
   * The official who submitted (user id and display name): the ZGW adapter puts it in its JWT;
   * `at`, when the submission was made, dates the archive's "opgesteld" event (M5).
   */
  submittedBy?: { id: string; representation: string; at?: number };
  /** The second official who approved it (W4) and when: written into the archive's metadata. */
  approvedBy?: { id: string; representation: string; at: number };
  /** J1: the letter's date (the day the decision was taken), YYYY-MM-DD. */
  dagtekening?: string;
  /**
   * J2: for a template whose letter leaves with the delivery (`dms.sentOn` 'delivery'): the
   * verzenddatum (the day of this attempt) and the last day of the objection term counted from it.
   */
  verzenddatum?: string;
  bezwaartermijnEinde?: string | null;
  /** The submission's version (1, 2, …); absent in older callers. */
  version?: number;
  /**
   * O5: the latest earlier version of this document that is archived, with its DMS reference. A
   * DMS that keeps versions of one object (ZGW) files this submission as a new version of it.
   */
  previous?: { identificatie: string; version: number; reference: string };
  /** O5, O6: a DMS lock an earlier attempt of this delivery took and never released. */
  heldLock?: string;
  /**
   * Stores a lock the adapter took (null: released) with the outbox row before the adapter goes
   * on, so a later attempt can finish and unlock; never leave an object locked for good.
   */
  rememberLock?: (lock: string | null) => Promise<void>;
  /**
   * Issue 14: the submission's attachments, in the document's order, each filed as its own
   * document beside the letter (filesystem: in the same folder, listed in the metadata; ZGW: its
   * own informatieobject linked to the same zaak). Absent or empty: the letter alone.
   */
  attachments?: readonly DeliveryAttachment[];
}

/** One attachment as the DMS receives it: frozen at submit, its bytes loaded by the outbox. */
export interface DeliveryAttachment extends FrozenAttachment {
  bytes: Uint8Array;
  /** Deterministic per submission and place: `attachmentIdentificatie(letter, index)`. */
  identificatie: string;
}

/** `KT-2026-0000123` + index 0 → `KT-2026-0000123-B01`: what a look-up after a cut finds again. */
export function attachmentIdentificatie(letterIdentificatie: string, index: number): string {
  return `${letterIdentificatie}-B${String(index + 1).padStart(2, '0')}`;
}

export type DeliverResult =
  | { ok: true; reference: string }
  /**
   * `retryable: false` when trying again unchanged cannot help (refused metadata, say). `reason`
   * is what the outbox stores as `lastError` (Z1: `formatFailure` of `failure` where the adapter
   * gives one); `failure` is the typed reason, for tests and logs.
   */
  | { ok: false; retryable: boolean; reason: string; failure?: DeliveryFailure };

export type LookupResult = { found: true; reference: string } | { found: false } | { ok: false; reason: string };

/** Z22: what a DMS makes of the templates' archive types at start. */
export interface TemplateCheck {
  /** `id@version` → the Dutch reason that template refuses submits. */
  refused: Map<string, string>;
  /** For the start log, in order; `url` names the type a line is about. */
  lines: { level: 'info' | 'warn'; message: string; url?: string; templates?: string[] }[];
}

export interface DmsAdapter {
  /** For logs and the back office: 'filesystem', 'zgw', 'memory'. */
  readonly name: string;
  /** Files the submission; delivering an identificatie that is already there is not a second copy. */
  deliver(delivery: Delivery): Promise<DeliverResult>;
  /**
   * Is the submission archived (after an unknown outcome, O2)? `delivery`, when given, lets an
   * adapter recognise a new version filed into an earlier object (O5) or a half-finished upload (O6).
   */
  lookup(identificatie: string, zaak: string, delivery?: Delivery): Promise<LookupResult>;
  /** Z22: checks the types the templates rely on in the DMS's catalogue (ZGW); `today` is YYYY-MM-DD. */
  checkTemplates?(templates: readonly Template[], today: string): Promise<TemplateCheck>;
}

// M1: a template's `dms.archive` block, the archive's say on its documents: kept for good or
// destroyed after a term, on which basis (the category of the municipality's selectielijst) and
// in which Woo category it falls. The filesystem DMS writes it into the MDTO metadata of every
// archived letter (M3–M5, docs/DMS-ZGW.md "MDTO"). Kept apart from the ZGW block (`dms.zgw`) so the
// two merge and evolve on their own.
import { z } from 'zod/mini';

/** ZGW's names (Zaken API `archiefnominatie`), so one value serves both the ZGW and the MDTO side. */
export const Archiefnominatie = z.enum(['blijvend_bewaren', 'vernietigen']);
export type Archiefnominatie = z.infer<typeof Archiefnominatie>;

/**
 * An ISO 8601 duration in years, months and days ("P10Y", "P1Y6M", "P30D"), the form MDTO's
 * `termijnLooptijd` (xsd:duration) takes. Weeks and times are not a retention period.
 */
export const ISO_DURATION = /^P(?=\d)(\d{1,3}Y)?(\d{1,4}M)?(\d{1,5}D)?$/;

/** The selectielijst the built-in templates name, unless a template says otherwise. */
export const DEFAULT_SELECTIELIJST = 'Selectielijst gemeenten en intergemeentelijke organen 2020';

const text = z.string().check(z.minLength(1), z.maxLength(200));

export const Selectielijstklasse = z.object({
  /** The category's number in the selectielijst, e.g. "1.1.2"; absent: only its description is known. */
  nummer: z.optional(z.string().check(z.regex(/^\d{1,3}(\.\d{1,3}){0,4}$/, 'een categorienummer is bijvoorbeeld 1.1.2'))),
  omschrijving: text,
  /** The selectielijst it comes from; absent: DEFAULT_SELECTIELIJST. */
  selectielijst: z.optional(text),
});
export type Selectielijstklasse = z.infer<typeof Selectielijstklasse>;

export const ArchiveBlock = z
  .object({
    archiefnominatie: Archiefnominatie,
    /** How long after the zaak is closed a document to destroy is kept (ISO 8601); none for `blijvend_bewaren`. */
    bewaartermijn: z.optional(z.string().check(z.regex(ISO_DURATION, 'een bewaartermijn is een ISO 8601-duur zoals P10Y'))),
    /** The basis of the nominatie and term. */
    selectielijstklasse: Selectielijstklasse,
    /** The Woo category (Woo art. 3.3) the document falls in, e.g. "beschikkingen"; absent: none. */
    wooInformatiecategorie: z.optional(text),
  })
  .check(
    z.superRefine((a, ctx) => {
      if (a.archiefnominatie === 'vernietigen' && a.bewaartermijn === undefined) {
        ctx.addIssue({ code: 'custom', message: 'archiefnominatie vernietigen vraagt een bewaartermijn', input: a });
      }
      if (a.archiefnominatie === 'blijvend_bewaren' && a.bewaartermijn !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'archiefnominatie blijvend_bewaren heeft geen bewaartermijn', input: a });
      }
    }),
  );
export type ArchiveBlock = z.infer<typeof ArchiveBlock>;

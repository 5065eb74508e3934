// A template as data: what a document of this kind holds (fields, sections), what must be
// filled in before it may be submitted, which rule sets it switches on, whether a second official
// must approve it and how the DMS files it. Validated with zod wherever templates enter
// (built-in, municipality folder TEMPLATES_DIR, device cache). zod/mini keeps the app's first
// screen within its JavaScript budget (the device validates cached templates).
// Compatible with version 1 of the schema: everything added is optional, so the `brief` template
// and documents started on it keep working.
import { z } from 'zod/mini';
import { ArchiveBlock } from './archive';
import { BESTUURSORGANEN, mandaatWording, namesMandate } from './bestuursorgaan';

export const FieldType = z.enum(['text', 'multiline', 'date', 'address', 'zaaknummer', 'bsn', 'choice']);
export type FieldType = z.infer<typeof FieldType>;

/**
 * plain: free text in a Y.Text; rich: formatted text (paragraphs, lists, bold, italic) in a
 * Y.XmlFragment edited with y-prosemirror; fixed: the template's own text with placeholders, filled in when
 * shown or printed and never editable; agreements: the document's `agreements` list (what, who,
 * by when).
 */
export const SectionKind = z.enum(['plain', 'rich', 'fixed', 'agreements']);
export type SectionKind = z.infer<typeof SectionKind>;

/** What a section means to the rules of `besluit-awb` (Awb 3:45, 3:46, 10:10). */
export const SectionRole = z.enum(['dictum', 'motivering', 'rechtsmiddelen', 'mandaat']);
export type SectionRole = z.infer<typeof SectionRole>;

/**
 * What a field means: `ingangsdatum` the date a decision takes effect (rules); `uwKenmerk` the
 * citizen's own reference, printed as "Uw kenmerk" in the letterhead when given (P6).
 */
export const FieldRole = z.enum(['ingangsdatum', 'uwKenmerk']);
export type FieldRole = z.infer<typeof FieldRole>;

/**
 * Rule sets a template switches on (T-rules in docs/SPEC.md). `besluit-awb`: dictum, motivering
 * with a legal basis, rechtsmiddelenclausule, mandate line, date it takes effect. `maatwerk`:
 * when the field `maatwerk` is 'ja', the sections `normaleRegel` and `waaromNietPassend` must be
 * written and the document needs approval. Plain-language hints run on every plain section.
 */
export const RuleId = z.enum(['besluit-awb', 'maatwerk']);
export type RuleId = z.infer<typeof RuleId>;

export const Approval = z.enum(['never', 'always', 'when-maatwerk']);
export type Approval = z.infer<typeof Approval>;

/** Values a fixed text may use besides the template's own fields. */
export const COMPUTED_PLACEHOLDERS = ['gemeente', 'verzenddatum', 'bezwaartermijnEinde', 'kenmerk', 'bestuursorgaan', 'mandaat'] as const;

/** J3: the body that decides (absent: the college van burgemeester en wethouders). */
export const BestuursorgaanId = z.enum(BESTUURSORGANEN);

/** J2: when the verzenddatum is recorded: when the DMS takes the letter, or by the office's mark-sent. */
export const SentOn = z.enum(['delivery', 'manual']);
export type SentOn = z.infer<typeof SentOn>;

/** P5: how a field's value prints on the letter. */
export const PrintMode = z.enum(['always', 'masked', 'never']);
export type PrintMode = z.infer<typeof PrintMode>;

/**
 * P10: how many characters (code points) a value may hold when no `maxLength` says otherwise, per
 * field type and section kind, and for the whole document. Sized for what a letter needs, and so
 * a letter at every limit still renders in seconds (tests/bench/pdf.ts).
 */
export const DEFAULT_MAX_LENGTH = {
  text: 200,
  multiline: 2000,
  date: 100,
  address: 500,
  zaaknummer: 100,
  bsn: 100,
  choice: 200,
  plain: 10_000,
  rich: 10_000,
  fixed: 10_000,
  agreements: 10_000,
} as const satisfies Record<FieldType | SectionKind, number>;
/** The most a template may allow one field or section. */
export const MAX_LENGTH_CEILING = 20_000;
/** All fields, sections and agreements of one document together. */
export const MAX_DOCUMENT_LENGTH = 50_000;

const maxLength = z.optional(z.int().check(z.positive(), z.maximum(MAX_LENGTH_CEILING)));

/** The length limit of a field or section: its template's `maxLength`, else the default of its type. */
export function maxLengthOf(item: { type: FieldType; maxLength?: number | undefined } | { kind: SectionKind; maxLength?: number | undefined }): number {
  if (item.maxLength !== undefined) return item.maxLength;
  return 'type' in item ? DEFAULT_MAX_LENGTH[item.type] : DEFAULT_MAX_LENGTH[item.kind];
}

const key = z.string().check(z.regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'een sleutel is camelCase, begint met een letter'));
const text = z.string().check(z.minLength(1));

export const TemplateField = z.object({
  key,
  type: FieldType,
  label: text,
  required: z.boolean(),
  hint: z.optional(z.string()),
  /** The choices of a `choice` field; required for that type. */
  options: z.optional(z.array(text)),
  role: z.optional(FieldRole),
  /**
   * Whether and how the value prints on the letter (P5): `always`, `masked` (all but the last four
   * characters as `*`, a BSN as `*****1234`) or `never` (internal: the DMS metadata may keep it, the
   * letter does not). Absent: the safe default of its type (`printModeOf`).
   */
  print: z.optional(PrintMode),
  /** P10: at most this many characters; absent: DEFAULT_MAX_LENGTH of the type. */
  maxLength,
});
export type TemplateField = z.infer<typeof TemplateField>;

export const TemplateSection = z.object({
  key,
  kind: SectionKind,
  label: text,
  /** plain and rich: must hold text; agreements: must hold at least one agreement; fixed: always present. */
  required: z.boolean(),
  hint: z.optional(z.string()),
  /** Text a new plain or rich section starts with (blank lines separate paragraphs). */
  initial: z.optional(z.string()),
  /** The text of a fixed section, with placeholders such as {betrokkeneNaam} or {bezwaartermijnEinde}. */
  text: z.optional(z.string()),
  role: z.optional(SectionRole),
  /** P10: at most this many characters (agreements: all of them together); absent: the kind's default. */
  maxLength,
});
export type TemplateSection = z.infer<typeof TemplateSection>;

export const Confidentiality = z.enum([
  'openbaar',
  'beperkt_openbaar',
  'intern',
  'zaakvertrouwelijk',
  'vertrouwelijk',
  'confidentieel',
  'geheim',
  'zeer_geheim',
]);
export type Confidentiality = z.infer<typeof Confidentiality>;

// ---- dms.zgw: how a ZGW DMS (Open Zaak) files this template (Z20–Z23) ----

/** An http(s) URL of an object in a Catalogi API (informatieobjecttype, besluittype, zaaktype). */
const catalogiUrl = z.string().check(
  z.refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'geen http(s)-URL van een type in de Catalogi API'),
);

/**
 * Z20: a type as one URL, or a URL per zaaktype URL (a municipality whose zaaktypen each have
 * their own catalogus). A zaaktype the map does not name gets the default (ZGW_INFORMATIEOBJECTTYPE).
 */
export const ZgwTypeRef = z.union([catalogiUrl, z.record(catalogiUrl, catalogiUrl)]);
export type ZgwTypeRef = z.infer<typeof ZgwTypeRef>;

/**
 * Z20–Z23: the ZGW side of a template's archive settings. `informatieobjecttype`: the document's
 * type (else O7's `documentType` URL, else ZGW_INFORMATIEOBJECTTYPE); `vertrouwelijkheidaanduiding`:
 * ZGW's, when it differs from `dms.confidentiality`; `besluittype`: a decision template's
 * besluittype, registered in the Besluiten API (Z24); `indicatieGebruiksrecht`: the document's value
 * (absent: false).
 */
export const DmsZgw = z.object({
  informatieobjecttype: z.optional(ZgwTypeRef),
  vertrouwelijkheidaanduiding: z.optional(Confidentiality),
  besluittype: z.optional(ZgwTypeRef),
  indicatieGebruiksrecht: z.optional(z.boolean()),
  /** F47: the informatieobjecttype of the letter's attachments (photos, files); absent: the letter's. */
  bijlageInformatieobjecttype: z.optional(ZgwTypeRef),
});
export type DmsZgw = z.infer<typeof DmsZgw>;

/** Every Catalogi URL a `dms.zgw` block names, with what it is (for the check at start, Z22). */
export function zgwTypeUrls(block: DmsZgw | undefined): { kind: 'informatieobjecttype' | 'besluittype'; url: string }[] {
  const out: { kind: 'informatieobjecttype' | 'besluittype'; url: string }[] = [];
  const add = (kind: 'informatieobjecttype' | 'besluittype', ref: ZgwTypeRef | undefined): void => {
    if (ref === undefined) return;
    for (const url of typeof ref === 'string' ? [ref] : Object.values(ref)) if (!out.some((o) => o.url === url)) out.push({ kind, url });
  };
  add('informatieobjecttype', block?.informatieobjecttype);
  add('informatieobjecttype', block?.bijlageInformatieobjecttype);
  add('besluittype', block?.besluittype);
  return out;
}

/** Z20: the URL a type reference names for a zaak of this zaaktype; null: the reference does not say. */
export function zgwTypeFor(ref: ZgwTypeRef | undefined, zaaktype: string | null): string | null {
  if (ref === undefined) return null;
  if (typeof ref === 'string') return ref;
  return zaaktype === null ? null : (ref[zaaktype] ?? null);
}

// ---- end dms.zgw ----

/** The {names} a fixed text uses, in order of appearance. */
export function placeholdersIn(source: string): string[] {
  return [...source.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1] ?? '');
}

/** A section the official writes: plain or rich text. */
export function isTextSection(section: { kind: SectionKind }): boolean {
  return section.kind === 'plain' || section.kind === 'rich';
}

const ROLES_OF_BESLUIT: readonly SectionRole[] = ['dictum', 'motivering', 'rechtsmiddelen', 'mandaat'];

export const Template = z
  .object({
    id: z.string().check(z.regex(/^[a-z0-9-]{1,60}$/, 'een id bestaat uit kleine letters, cijfers en streepjes')),
    version: z.int().check(z.positive()),
    kind: z.enum(['brief', 'besluit', 'verslag']),
    title: text,
    description: z.optional(z.string()),
    /** Field whose value is the document's title in lists. */
    titleField: z.optional(z.string()),
    /** Field that holds the zaaknummer the document belongs to. */
    zaakField: z.optional(z.string()),
    fields: z.array(TemplateField),
    sections: z.array(TemplateSection).check(z.minLength(1)),
    rules: z.optional(z.array(RuleId)),
    /** Four eyes: absent means 'never'. */
    approval: z.optional(Approval),
    dms: z.optional(
      z.object({
        documentType: text,
        confidentiality: Confidentiality,
        sentOn: z.optional(SentOn),
        /** M1: archiefnominatie, bewaartermijn and their basis, for the archive's metadata (shared/templates/archive.ts). */
        archive: z.optional(ArchiveBlock),
        // ---- dms.zgw (Z20–Z23, owned by the ZGW Besluiten work) ----
        zgw: z.optional(DmsZgw),
        // ---- end dms.zgw ----
      }),
    ),
    /** J3: who decides; absent means the college van burgemeester en wethouders. */
    bestuursorgaan: z.optional(BestuursorgaanId),
    /** J3: the mandate line's wording ({gemeente} allowed); absent: the bestuursorgaan's default. */
    mandaat: z.optional(text),
  })
  .check(
    z.superRefine((t, ctx) => {
      const problem = (message: string): void => ctx.addIssue({ code: 'custom', message, input: t });
      const keys = [...t.fields.map((f) => f.key), ...t.sections.map((s) => s.key)];
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      if (dup !== undefined) problem(`sleutel "${dup}" komt twee keer voor`);
      for (const ref of [t.titleField, t.zaakField]) {
        if (ref !== undefined && !t.fields.some((f) => f.key === ref)) problem(`veld "${ref}" bestaat niet`);
      }
      for (const f of t.fields) {
        if (f.type === 'choice' && (f.options === undefined || f.options.length === 0)) {
          problem(`keuzeveld "${f.key}" heeft geen opties`);
        }
        if (f.role === 'ingangsdatum' && f.type !== 'date') problem(`veld "${f.key}" met rol ingangsdatum moet een datum zijn`);
        if (f.role === 'uwKenmerk' && f.type !== 'text') problem(`veld "${f.key}" met rol uwKenmerk moet een tekstveld zijn`);
      }
      if (t.fields.filter((f) => f.role === 'uwKenmerk').length > 1) problem('er is hoogstens één veld met rol uwKenmerk');
      const known = new Set<string>([...t.fields.map((f) => f.key), ...COMPUTED_PLACEHOLDERS]);
      // P5: a field the template says never prints cannot be printed by its own fixed text either.
      const neverPrinted = new Set(t.fields.filter((f) => f.print === 'never').map((f) => f.key));
      for (const s of t.sections) {
        if (s.kind === 'fixed') {
          if (s.text === undefined || s.text.trim().length === 0) problem(`vaste tekst "${s.key}" heeft geen tekst`);
          for (const name of placeholdersIn(s.text ?? '')) {
            if (!known.has(name)) problem(`onbekende plaatshouder {${name}} in onderdeel "${s.key}"`);
            else if (neverPrinted.has(name)) problem(`plaatshouder {${name}} in onderdeel "${s.key}" is een veld dat nooit wordt afgedrukt`);
          }
        } else if (s.text !== undefined) {
          problem(`onderdeel "${s.key}" is geen vaste tekst en mag geen "text" hebben`);
        }
      }
      // J3: the mandate line must name the template's own bestuursorgaan (T5 checks it per document too).
      const orgaan = t.bestuursorgaan ?? 'college';
      if (t.mandaat !== undefined && !namesMandate(orgaan, t.mandaat)) problem(`de mandaatregel noemt niet ${orgaan}`);
      for (const s of t.sections) {
        if (s.kind === 'fixed' && s.role === 'mandaat' && !namesMandate(orgaan, (s.text ?? '').replace(/\{mandaat\}/g, mandaatWording(t)))) {
          problem(`de mandaatregel in onderdeel "${s.key}" noemt niet ${orgaan}`);
        }
      }
      const rules = t.rules ?? [];
      if (rules.includes('besluit-awb')) {
        for (const role of ROLES_OF_BESLUIT) {
          const count = t.sections.filter((s) => s.role === role).length;
          if (count !== 1) problem(`regel besluit-awb vraagt precies één onderdeel met rol ${role} (gevonden: ${count})`);
        }
        if (t.fields.filter((f) => f.role === 'ingangsdatum').length !== 1) {
          problem('regel besluit-awb vraagt precies één datumveld met rol ingangsdatum');
        }
      }
      // Z21: a besluittype only on a decision template; the Besluiten API registers decisions only.
      if (t.dms?.zgw?.besluittype !== undefined && t.kind !== 'besluit') problem('dms.zgw.besluittype hoort alleen bij een sjabloon van soort besluit');
      const needsMaatwerk = rules.includes('maatwerk') || t.approval === 'when-maatwerk';
      if (needsMaatwerk) {
        const sw = t.fields.find((f) => f.key === 'maatwerk');
        if (sw === undefined || sw.type !== 'choice' || !(sw.options ?? []).includes('ja')) {
          problem('maatwerk vraagt een keuzeveld "maatwerk" met de optie "ja"');
        }
        for (const k of ['normaleRegel', 'waaromNietPassend']) {
          if (!t.sections.some((s) => s.key === k && isTextSection(s))) problem(`maatwerk vraagt een tekstonderdeel "${k}"`);
        }
      }
    }),
  );
export type Template = z.infer<typeof Template>;

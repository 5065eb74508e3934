// A template as data: what a document of this kind holds (fields, sections) and what must be
// filled in before it may be submitted. Validated with zod wherever templates enter (built-in,
// municipality folder, device cache). The schema grows with the templates issue (rules,
// approval, fixed texts); what is here is what the letter journey needs. zod/mini keeps the
// app's first screen within its JavaScript budget (the device validates cached templates).
import { z } from 'zod/mini';

export const FieldType = z.enum(['text', 'multiline', 'date', 'zaaknummer', 'choice']);
export type FieldType = z.infer<typeof FieldType>;

export const SectionKind = z.enum(['plain']);
export type SectionKind = z.infer<typeof SectionKind>;

const key = z.string().check(z.regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'een sleutel is camelCase, begint met een letter'));
const text = z.string().check(z.minLength(1));

export const TemplateField = z.object({
  key,
  type: FieldType,
  label: text,
  required: z.boolean(),
  hint: z.optional(z.string()),
  options: z.optional(z.array(z.string())),
});
export type TemplateField = z.infer<typeof TemplateField>;

export const TemplateSection = z.object({
  key,
  kind: SectionKind,
  label: text,
  required: z.boolean(),
  hint: z.optional(z.string()),
  /** Text a new document starts with. */
  initial: z.optional(z.string()),
});
export type TemplateSection = z.infer<typeof TemplateSection>;

export const Template = z
  .object({
    id: z.string().check(z.regex(/^[a-z0-9-]{1,60}$/)),
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
    dms: z.optional(
      z.object({
        documentType: text,
        confidentiality: z.enum([
          'openbaar',
          'beperkt_openbaar',
          'intern',
          'zaakvertrouwelijk',
          'vertrouwelijk',
          'confidentieel',
          'geheim',
          'zeer_geheim',
        ]),
      }),
    ),
  })
  .check(
    z.superRefine((t, ctx) => {
      const keys = [...t.fields.map((f) => f.key), ...t.sections.map((s) => s.key)];
      const dup = keys.find((k, i) => keys.indexOf(k) !== i);
      if (dup !== undefined) ctx.addIssue({ code: 'custom', message: `sleutel "${dup}" komt twee keer voor`, input: t });
      for (const ref of [t.titleField, t.zaakField]) {
        if (ref !== undefined && !t.fields.some((f) => f.key === ref)) {
          ctx.addIssue({ code: 'custom', message: `veld "${ref}" bestaat niet`, input: t });
        }
      }
    }),
  );
export type Template = z.infer<typeof Template>;

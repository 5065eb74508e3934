// A template as data: what a document of this kind holds (fields, sections) and what must be
// filled in before it may be submitted. Validated with zod wherever templates enter (built-in,
// municipality folder, device cache). The schema grows with the templates issue (rules,
// approval, fixed texts); what is here is what the letter journey needs.
import { z } from 'zod';

export const FieldType = z.enum(['text', 'multiline', 'date', 'zaaknummer', 'choice']);
export type FieldType = z.infer<typeof FieldType>;

export const SectionKind = z.enum(['plain']);
export type SectionKind = z.infer<typeof SectionKind>;

const key = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'een sleutel is camelCase, begint met een letter');

export const TemplateField = z.object({
  key,
  type: FieldType,
  label: z.string().min(1),
  required: z.boolean(),
  hint: z.string().optional(),
  options: z.array(z.string()).optional(),
});
export type TemplateField = z.infer<typeof TemplateField>;

export const TemplateSection = z.object({
  key,
  kind: SectionKind,
  label: z.string().min(1),
  required: z.boolean(),
  hint: z.string().optional(),
  /** Text a new document starts with. */
  initial: z.string().optional(),
});
export type TemplateSection = z.infer<typeof TemplateSection>;

export const Template = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/),
    version: z.number().int().positive(),
    kind: z.enum(['brief', 'besluit', 'verslag']),
    title: z.string().min(1),
    description: z.string().optional(),
    /** Field whose value is the document's title in lists. */
    titleField: z.string().optional(),
    /** Field that holds the zaaknummer the document belongs to. */
    zaakField: z.string().optional(),
    fields: z.array(TemplateField),
    sections: z.array(TemplateSection).min(1),
    dms: z
      .object({
        documentType: z.string().min(1),
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
      })
      .optional(),
  })
  .superRefine((t, ctx) => {
    const keys = [...t.fields.map((f) => f.key), ...t.sections.map((s) => s.key)];
    const dup = keys.find((k, i) => keys.indexOf(k) !== i);
    if (dup !== undefined) ctx.addIssue({ code: 'custom', message: `sleutel "${dup}" komt twee keer voor` });
    for (const ref of [t.titleField, t.zaakField]) {
      if (ref !== undefined && !t.fields.some((f) => f.key === ref)) {
        ctx.addIssue({ code: 'custom', message: `veld "${ref}" bestaat niet` });
      }
    }
  });
export type Template = z.infer<typeof Template>;

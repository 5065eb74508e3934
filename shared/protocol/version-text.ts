// V6: the answer of `GET /api/documents/:id/submissions/:version/text`: one frozen version's
// fields and sections as text (shared/model/version-text.ts), which the device diffs. One
// schema for the server that writes it and the client that reads it.
import * as z from 'zod/mini';

export const VersionTextAnswer = z.object({
  version: z.number(),
  templateId: z.string(),
  templateVersion: z.number(),
  submittedAt: z.number(),
  parts: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      kind: z.enum(['field', 'section']),
      text: z.string(),
    }),
  ),
});
export type VersionTextAnswer = z.infer<typeof VersionTextAnswer>;

// E7: the office's list of discarded concepts (`GET /api/drafts/discarded`, office role, own
// team), and the discard answer's extra fields. One zod/mini schema each for client and server.
import * as z from 'zod/mini';

export const DISCARDED_PATH = '/api/drafts/discarded';

export const DiscardedDraftSchema = z.object({
  id: z.string(),
  title: z.string(),
  templateId: z.nullable(z.string()),
  zaak: z.nullable(z.string()),
  createdBy: z.string(),
  /** The author's display name (an official); the user id when unknown. */
  authorName: z.string(),
  updatedAt: z.number(),
  discardedAt: z.number(),
  discardedByName: z.string(),
  /** E3, E5: the last moment it can be restored; after it the housekeeping deletes it. */
  purgeAfter: z.number(),
});
export type DiscardedDraft = z.infer<typeof DiscardedDraftSchema>;

export const DiscardedListSchema = z.object({ documents: z.array(DiscardedDraftSchema) });
export type DiscardedList = z.infer<typeof DiscardedListSchema>;

/** E10: the one message for a link to a document that is unknown or not the user's team's. */
export const UNKNOWN_DOCUMENT_MESSAGE = 'Dit document bestaat niet of u heeft er geen toegang toe';

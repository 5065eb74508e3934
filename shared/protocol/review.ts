// V5: what an approve or return was decided on. The approve screen sends the status and the
// version the official looked at; the server refuses with 409 `already-decided` (naming who
// decided what, and when) when the document has moved on, instead of deciding again. One
// schema for the client that sends it and the server that checks it.
import * as z from 'zod/mini';
import { WorkflowStatus } from '../model/index-entry';

export const ReviewExpectation = z.object({
  fromStatus: z.optional(z.enum(Object.values(WorkflowStatus) as [WorkflowStatus, ...WorkflowStatus[]])),
  version: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(999_999))),
});
export type ReviewExpectation = z.infer<typeof ReviewExpectation>;

/** The 409 body of a review that came too late: what the winner decided. */
export const AlreadyDecided = z.object({
  error: z.literal('already-decided'),
  status: z.string(),
  decided: z.nullable(
    z.object({
      kind: z.enum(['approved', 'returned']),
      byName: z.string(),
      at: z.number(),
      version: z.number(),
    }),
  ),
});
export type AlreadyDecided = z.infer<typeof AlreadyDecided>;

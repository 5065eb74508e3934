// POST /api/documents/<id>/submissions/<version>/pdf-link: a link to one submission's PDF that
// a new tab or a PDF viewer can open without an Authorization header, carrying a one-use ticket
// instead of the access token (N8). zod/mini: the editor's chunk validates the answer.
import { z } from 'zod/mini';

export const PdfLinkResponse = z.object({
  /** Path and query on this server: `/api/documents/<id>/submissions/<version>/pdf?ticket=…`. */
  href: z.string().check(z.startsWith('/api/documents/'), z.maxLength(2000)),
  /** The ticket is good for one request within this many seconds. */
  expiresInSeconds: z.number().check(z.int(), z.positive()),
});
export type PdfLinkResponse = z.infer<typeof PdfLinkResponse>;

export const pdfPath = (docId: string, version: number): string => `/api/documents/${encodeURIComponent(docId)}/submissions/${version}/pdf`;
export const pdfLinkPath = (docId: string, version: number): string => `${pdfPath(docId, version)}-link`;

// The HTTP calls the submit, outbox and DMS tests make against the real server: actions,
// document reads and the archived PDF, each answered as status + parsed body.
import { randomUUID } from 'node:crypto';

export interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

export const newKey = (): string => `k_${randomUUID()}`;

/** POSTs one action; `payload` carries a return's `remark` and `section` (W4). */
export function act(
  url: string,
  token: string,
  id: string,
  type: string,
  idempotencyKey = newKey(),
  payload: Record<string, string> = {},
): Promise<Answer> {
  return call(`${url}/api/documents/${id}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ ...payload, type, idempotencyKey }),
  });
}

export function getDocument(url: string, token: string, id: string): Promise<Answer> {
  return call(`${url}/api/documents/${id}`, { headers: { authorization: `Bearer ${token}` } });
}

/** One entry of `submissions` in GET /api/documents/:id. */
export interface SubmissionView {
  version: number;
  sha256: string;
  pdfSha256: string;
  identificatie: string;
  zaak: string;
  submittedAt: number;
  submittedBy: string;
  status: 'wacht-op-goedkeuring' | 'teruggestuurd' | 'wacht-op-dms' | 'in-dms' | 'mislukt';
  dmsReference: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  pdf: string;
}

export async function submissionsOf(url: string, token: string, id: string): Promise<SubmissionView[]> {
  const answer = await getDocument(url, token, id);
  if (answer.status !== 200) throw new Error(`GET document ${id}: ${answer.status}`);
  return answer.body.submissions as SubmissionView[];
}

export interface PdfAnswer {
  status: number;
  contentType: string | null;
  bytes: Uint8Array;
}

/** GET the archived PDF, with the token as a bearer header, as `?token=`, or without. */
export async function fetchPdf(url: string, path: string, auth: { bearer?: string; query?: string } = {}): Promise<PdfAnswer> {
  const target = auth.query === undefined ? `${url}${path}` : `${url}${path}?token=${encodeURIComponent(auth.query)}`;
  const response = await fetch(target, { headers: auth.bearer === undefined ? {} : { authorization: `Bearer ${auth.bearer}` } });
  return { status: response.status, contentType: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Polls an async condition (the outbox works in the background). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

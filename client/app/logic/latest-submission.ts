// The newest submission in a `GET /api/documents/<id>` answer, read defensively (the answer may
// come from an older or newer server): its version, and its DMS reference once archived (O1).
export interface LatestSubmission {
  version: number;
  /** The DMS's reference; null until the delivery is archived. */
  dmsReference: string | null;
}

export function latestSubmission(body: unknown): LatestSubmission | null {
  const submissions = typeof body === 'object' && body !== null ? (body as { submissions?: unknown }).submissions : undefined;
  if (!Array.isArray(submissions)) return null;
  let latest: LatestSubmission | null = null;
  for (const s of submissions) {
    if (typeof s !== 'object' || s === null) continue;
    const { version, dmsReference } = s as { version?: unknown; dmsReference?: unknown };
    if (typeof version !== 'number' || !Number.isInteger(version)) continue;
    if (latest !== null && version <= latest.version) continue;
    latest = { version, dmsReference: typeof dmsReference === 'string' && dmsReference.trim() !== '' ? dmsReference : null };
  }
  return latest;
}

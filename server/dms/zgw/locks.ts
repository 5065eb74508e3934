// Locks and parts (O5, O6): a new version goes into an archived object through lock → PATCH →
// (parts) → unlock, and a large PDF goes up in `bestandsdelen` under the lock its create hands
// out. The lock is stored with the outbox row before anything is written under it, so an attempt
// after an unknown outcome finishes and unlocks instead of starting over; a permanent refusal
// never leaves an object locked for good.
import type { Delivery } from '../types';
import { contentFields } from './document-body';
import type { FilingFields } from './documenten';
import { eioSchema, isChunked, isComplete, lockSchema, type Part } from './eio';
import { anything, pathOf, type Call, type Failed, type ZgwHttp } from './http';
import type { ZgwUser } from './jwt';

/** O5, O6: the lock goes into the outbox row before anything is written under it. */
export async function remember(delivery: Delivery, lock: string | null): Promise<void> {
  await delivery.rememberLock?.(lock);
}

/** O6: uploads the parts not yet complete, in order, each with its slice of the PDF. */
export async function uploadParts(
  http: ZgwHttp,
  parts: readonly Part[],
  delivery: Delivery,
  lock: string,
  user: ZgwUser,
  file: Pick<FilingFields, 'mediaType' | 'fileName'> = { mediaType: 'application/pdf', fileName: `${delivery.identificatie}.pdf` },
): Promise<Call<true>> {
  const sorted = [...parts].sort((a, b) => a.volgnummer - b.volgnummer);
  const total = sorted.reduce((sum, p) => sum + p.omvang, 0);
  if (total !== delivery.pdf.byteLength) {
    return { ok: false, retryable: true, failure: { code: 'dms-bad-answer', what: `bestandsdelen van ${total} bytes voor een PDF van ${delivery.pdf.byteLength}` } };
  }
  let offset = 0;
  for (const part of sorted) {
    const bytes = delivery.pdf.slice(offset, offset + part.omvang);
    offset += part.omvang;
    if (part.voltooid) continue;
    const form = new FormData();
    form.append('inhoud', new Blob([bytes], { type: file.mediaType }), file.fileName);
    form.append('lock', lock);
    const put = await http.call('PUT', part.url, user, anything, form);
    if (!put.ok) return put;
  }
  return { ok: true, value: true, status: 200 };
}

export async function unlock(http: ZgwHttp, eioUrl: string, lock: string | null, user: ZgwUser): Promise<Call<true>> {
  // Without a lock this is a forced unlock (scope documenten.geforceerd-unlock).
  const done = await http.call('POST', `${eioUrl}/unlock`, user, anything, lock === null ? {} : { lock });
  return done.ok ? { ok: true, value: true, status: done.status } : done;
}

/**
 * Brings the object at `eioUrl` to this delivery's bytes and leaves it unlocked (O2, O5, O6):
 * already there → nothing; locked by the lock this delivery holds → finish under it; unlocked →
 * lock, PATCH, upload the parts, unlock. A lock the delivery does not hold is someone else's
 * (a colleague editing in the DMS): wait and retry, except for our own half-created document,
 * whose create answer (with its lock) was lost — that one is unlocked by force and redone.
 */
export async function bringUpToDate(
  http: ZgwHttp,
  eioUrl: string,
  delivery: Delivery,
  user: ZgwUser,
  ownCreate: boolean,
  fields?: Pick<FilingFields, 'content' | 'mediaType' | 'fileName'>,
): Promise<Call<true>> {
  const { config } = http;
  const read = await http.call('GET', eioUrl, user, eioSchema);
  if (!read.ok) return read;
  let eio = read.value;
  if (isComplete(eio, delivery.pdfSha256)) return { ok: true, value: true, status: read.status };

  let lock: string;
  let written = false;
  if (eio.locked === true && delivery.heldLock !== undefined) {
    lock = delivery.heldLock;
    // Written under this lock already when the bytes' hash is there; only parts may be missing.
    written = eio.integriteit?.waarde === delivery.pdfSha256;
  } else {
    if (eio.locked === true) {
      if (!ownCreate) {
        return { ok: false, retryable: true, failure: { code: 'dms-locked', by: 'colleague', document: pathOf(eioUrl) } };
      }
      const forced = await unlock(http, eioUrl, null, user);
      if (!forced.ok) return lockedRefusal(forced, eioUrl);
      const again = await http.call('GET', eioUrl, user, eioSchema);
      if (!again.ok) return again;
      eio = again.value;
    }
    const locked = await http.call('POST', `${eioUrl}/lock`, user, lockSchema);
    if (!locked.ok) return locked;
    lock = locked.value.lock;
    await remember(delivery, lock);
  }

  let parts = eio.bestandsdelen ?? [];
  if (!written) {
    const patched = await http.call('PATCH', eioUrl, user, eioSchema, { lock, ...(fields?.content ?? contentFields(delivery, config)) });
    if (!patched.ok) return releaseAfter(http, patched, eioUrl, lock, delivery, user);
    parts = patched.value.bestandsdelen ?? [];
  }
  if (isChunked(delivery, config)) {
    const uploaded = await uploadParts(http, parts, delivery, lock, user, fields);
    if (!uploaded.ok) return releaseAfter(http, uploaded, eioUrl, lock, delivery, user);
  }
  const unlocked = await unlock(http, eioUrl, lock, user);
  if (!unlocked.ok) return forgetRefusedLock(unlocked, delivery);
  await remember(delivery, null);
  return { ok: true, value: true, status: unlocked.status };
}

/**
 * A permanent refusal under our lock must not leave the object locked for good: unlock first
 * (best effort). A transient one keeps the lock, stored with the row, for the next attempt.
 * A lock the DMS no longer takes (refused, e.g. unlocked and re-locked by someone in the DMS)
 * is forgotten too, so the next attempt does not keep presenting it.
 */
export async function releaseAfter(http: ZgwHttp, failed: Failed, eioUrl: string, lock: string, delivery: Delivery, user: ZgwUser): Promise<Failed> {
  if (failed.retryable) return failed;
  const released = await unlock(http, eioUrl, lock, user);
  if (released.ok || !released.retryable) await remember(delivery, null);
  return failed;
}

/** An unlock the DMS refuses for good means the stored lock is worthless: forget it. */
export async function forgetRefusedLock(failed: Failed, delivery: Delivery): Promise<Failed> {
  if (!failed.retryable) await remember(delivery, null);
  return failed;
}

function lockedRefusal(failed: Failed, eioUrl: string): Failed {
  if (failed.retryable) return failed;
  return {
    ok: false,
    retryable: false,
    failure: {
      code: 'dms-locked',
      by: 'unknown-own-lock',
      document: pathOf(eioUrl),
      ...(failed.status === undefined ? {} : { status: failed.status }),
      ...(failed.failure.details === undefined ? {} : { details: failed.failure.details }),
    },
  };
}

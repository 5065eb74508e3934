// A DMS in memory for tests, with faults to inject: refusals, a dropped connection after the
// document was filed (the unknown outcome of O2), failing look-ups and a gate that holds
// deliveries. Like a real DMS it refuses a second document with the same identificatie, and
// counts such attempts so a test can prove there were none; another document's bytes under the
// identificatie are refused as someone else's (J9). F51: it records each attachment filed with
// the letter (by its own identificatie) and counts it in J9's same-bytes check.
import { foreignIdentificatie } from './conflict';
import type { Delivery, DeliverResult, DeliveryAttachment, DmsAdapter, LookupResult } from './types';

export type DeliverFault =
  | { kind: 'refuse'; retryable: boolean; reason: string }
  /** Files the document, then throws as if the connection dropped before the answer came. */
  | { kind: 'drop-after-filing' }
  /** Throws before anything is filed (timeout, connection refused). */
  | { kind: 'throw' };

export interface MemoryDms extends DmsAdapter {
  /** Filed documents by identificatie. */
  readonly filed: Map<string, { delivery: Delivery; reference: string }>;
  /** F51: attachments filed, by their own identificatie, with the letter they came with. */
  readonly attachments: Map<string, { attachment: DeliveryAttachment; letter: string }>;
  readonly calls: { op: 'deliver' | 'lookup'; identificatie: string }[];
  /** Deliveries of an identificatie that was already filed; a correct outbox keeps this 0. */
  duplicates: number;
  /** Faults for the next deliver calls, used in order. */
  faults: DeliverFault[];
  /** Every deliver call from now on answers this refusal, until set to null. */
  refuseAll: { retryable: boolean; reason: string } | null;
  /** Look-ups answer `{ok: false}` with this reason while set. */
  lookupFailure: string | null;
  /** While set, deliver calls wait for `release()` before doing anything. */
  hold(): void;
  release(): void;
}

export function createMemoryDms(): MemoryDms {
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  const dms: MemoryDms = {
    name: 'memory',
    filed: new Map(),
    attachments: new Map(),
    calls: [],
    duplicates: 0,
    faults: [],
    refuseAll: null,
    lookupFailure: null,
    hold() {
      if (gate !== null) return;
      let open = (): void => undefined;
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
    },
    release() {
      gate?.open();
      gate = null;
    },
    async deliver(delivery): Promise<DeliverResult> {
      dms.calls.push({ op: 'deliver', identificatie: delivery.identificatie });
      if (gate !== null) await gate.promise;
      if (dms.refuseAll !== null) return { ok: false, ...dms.refuseAll };
      const fault = dms.faults.shift();
      if (fault?.kind === 'refuse') return { ok: false, retryable: fault.retryable, reason: fault.reason };
      if (fault?.kind === 'throw') throw new Error('connect ECONNREFUSED (simulated)');
      const there = dms.filed.get(delivery.identificatie);
      // J9: someone else's document under this identificatie: refused, not counted as our duplicate.
      if (there !== undefined && !sameFiling(there.delivery, delivery)) {
        return foreignIdentificatie(delivery.identificatie, there.delivery.pdfSha256, 'In het DMS');
      }
      if (there !== undefined) {
        dms.duplicates += 1;
        return { ok: false, retryable: false, reason: 'duplicate-identificatie' };
      }
      const reference = `memory://${delivery.zaak}/${delivery.identificatie}`;
      const attachments = (delivery.attachments ?? []).map((a) => ({ ...a, bytes: a.bytes.slice() }));
      dms.filed.set(delivery.identificatie, { delivery: { ...delivery, pdf: delivery.pdf.slice(), attachments }, reference });
      for (const a of attachments) dms.attachments.set(a.identificatie, { attachment: a, letter: delivery.identificatie });
      if (fault?.kind === 'drop-after-filing') throw new Error('socket hang up (simulated)');
      return { ok: true, reference };
    },
    async lookup(identificatie, _zaak, delivery): Promise<LookupResult> {
      dms.calls.push({ op: 'lookup', identificatie });
      await Promise.resolve();
      if (dms.lookupFailure !== null) return { ok: false, reason: dms.lookupFailure };
      const hit = dms.filed.get(identificatie);
      // J9: a document with other bytes under this identificatie is not ours.
      if (hit === undefined || (delivery !== undefined && !sameFiling(hit.delivery, delivery))) return { found: false };
      return { found: true, reference: hit.reference };
    },
  };
  return dms;
}

/** J9, F51: the same letter bytes and the same attachments (identificatie and SHA-256, in order). */
function sameFiling(filed: Delivery, delivery: Delivery): boolean {
  const a = filed.attachments ?? [];
  const b = delivery.attachments ?? [];
  return filed.pdfSha256 === delivery.pdfSha256 && a.length === b.length && a.every((x, i) => x.identificatie === b[i]?.identificatie && x.sha256 === b[i]?.sha256);
}

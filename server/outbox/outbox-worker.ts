// Takes submissions from the outbox to the DMS (O1–O5): claims one due delivery at a time, looks
// it up first when the previous attempt's outcome is unknown (O2), delivers, and records the
// reference (archived, O1) or the reason with the next attempt (O3, backoff with jitter). After
// `maxAttempts`, or at once for a refusal that retrying cannot fix, the row is marked failed (O4)
// and waits for the office's retry-delivery; it is never dropped. A later version of an archived
// document is handed to the adapter with the earlier one's reference (O5), and a DMS lock the
// adapter takes is stored with the row (O5, O6). Polls, can be kicked, and stops between
// attempts on close.
import { amsterdamIsoDate } from '../../shared/templates/fill';
import { bezwaartermijnEinde } from '../../shared/validate/rules';
import { createHash } from 'node:crypto';
import { attachmentIdentificatie, type Delivery, type DeliveryAttachment, type DmsAdapter, type DeliverResult, type LookupResult } from '../dms/types';
import type { AttachmentStore, DeliveryOutcome, DeliveryRow, DispatchRecord, DocumentRow, SubmissionRecord, SubmissionStore } from '../store/types';
import type { DesignatedDay } from '../../shared/law/designated-days';

export interface OutboxTiming {
  /** How often the worker looks for due deliveries without being kicked. */
  pollMs: number;
  /** How long a claimed attempt may run before another worker may take the row over. */
  leaseMs: number;
  /** An adapter call that takes longer counts as an unknown outcome. */
  attemptTimeoutMs: number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * O4: attempts before a retryable failure marks the row failed. With the delays above (10 s
   * doubling to the 1 h cap, equal jitter) 24 attempts span at least ~7.7 h and at most ~15.4 h,
   * so an outage of a few hours never fails a row (arithmetic in docs/DMS-ZGW.md).
   */
  maxAttempts: number;
}

export const defaultOutboxTiming: OutboxTiming = {
  pollMs: 5_000,
  leaseMs: 5 * 60_000,
  attemptTimeoutMs: 60_000,
  baseDelayMs: 10_000,
  maxDelayMs: 60 * 60_000,
  maxAttempts: 24,
};

export interface OutboxWorkerOptions {
  /**
   * `listSubmissions` finds the archived earlier version (O5) and `recordDeliveryLock` keeps a DMS
   * lock with the row (O5, O6); a store without them (benchmarks' fakes) files every version anew.
   */
  store: Pick<SubmissionStore, 'claimDueDeliveries' | 'getSubmission' | 'recordDelivered' | 'recordDeliveryFailure'> &
    Partial<Pick<SubmissionStore, 'listSubmissions' | 'recordDeliveryLock' | 'hastenRetries' | 'getDecision'>> &
    Partial<Pick<AttachmentStore, 'readAttachmentBytes'>>;
  dms: DmsAdapter;
  now: () => number;
  /** In [0, 1); jitter spreads retries of many deliveries after a DMS outage. */
  random?: () => number;
  timing?: Partial<OutboxTiming>;
  /** Mirrors a document whose status changed (in-dms, levering-mislukt) into the index rooms. */
  documentChanged: (row: DocumentRow) => Promise<void>;
  onError: (error: unknown, context: string) => void;
  /** Who approved this submission and when (W4), for the archive's metadata; none when not given. */
  approvalOf?: (docId: string, version: number) => Promise<{ by: string; byName: string; at: number } | null>;
  /** A delivery was recorded as archived, `latencyMs` after its submit (metrics). */
  onDelivered?: (latencyMs: number, adapterName: string) => void;
  /** A failed or unknown attempt was recorded, with its `lastError` (metrics). */
  onFailed?: (reason: string) => void;
  /** J5: days designated under Atw art. 3 lid 3 beyond the built-in table (HOLIDAYS_FILE). */
  designatedDays?: readonly DesignatedDay[];
  /**
   * U5: a delivery was recorded as archived, or as failed for good (state `failed`, waiting for the
   * office's retry). Attempts that will be retried are not reported here.
   */
  onSettled?: (event: DeliverySettled) => Promise<void>;
}

export type DeliverySettled =
  | { docId: string; version: number; identificatie: string; kind: 'delivered'; reference: string }
  | { docId: string; version: number; identificatie: string; kind: 'failed'; error: string };

/**
 * Delay before attempt `attempts + 1`: exponential from `base`, capped at `max`, with "equal
 * jitter" (half fixed, half random) so retries neither bunch up nor come too early.
 */
export function retryDelay(attempts: number, base: number, max: number, random: number): number {
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.round(exp / 2 + (exp / 2) * random);
}

/**
 * Failures that say "the DMS is not there" rather than "the DMS refuses this one". When a
 * delivery succeeds again, deliveries waiting on such a failure need not sit out their backoff
 * (after a 10-minute outage that could be another 10 minutes, see the bench).
 */
const OUTAGE_ERRORS = ['dms-unreachable', 'dms-timeout', 'dms-server-error', 'dms-write-failed'];

export function isOutageError(error: string): boolean {
  return OUTAGE_ERRORS.some((prefix) => error.startsWith(prefix));
}

/** Timers may fire a millisecond before the clock says a retry is due. */
const RETRY_SLACK_MS = 5;

type Attempt =
  | { kind: 'delivered'; reference: string }
  | { kind: 'failed'; error: string; retryable: boolean; outcomeUnknown: boolean };

export class OutboxWorker {
  private readonly timing: OutboxTiming;
  private readonly random: () => number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /**
   * Retries this worker scheduled and has not claimed since, by identificatie: the next pass runs
   * at the earliest. Kept across passes, because a timer may fire a moment before Date.now()
   * says the retry is due, and then that pass finds nothing yet.
   */
  private readonly retries = new Map<string, number>();
  /** Retries waiting on an outage, with the attempt that failed: made due when the DMS is back. */
  private readonly outageRetries = new Map<string, number>();
  /** When the last claim found nothing due: retries due by then were taken by someone else. */
  private drainedAt = 0;
  private closed = false;

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.timing = { ...defaultOutboxTiming, ...opts.timing };
    this.random = opts.random ?? Math.random;
  }

  start(): void {
    this.kick();
  }

  /** Something became due (a submit, retry-delivery): run a pass soon. */
  kick(): void {
    if (this.closed) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops polling and waits for the attempt in flight, if any (bounded by attemptTimeoutMs). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: attempts every due delivery, one at a time. Returns how many were attempted. */
  async runOnce(): Promise<number> {
    let attempted = 0;
    while (!this.closed) {
      const now = this.opts.now();
      const [claimed] = await this.opts.store.claimDueDeliveries(now, this.timing.leaseMs, 1);
      if (claimed === undefined) {
        this.drainedAt = now;
        break;
      }
      this.retries.delete(claimed.delivery.identificatie);
      this.outageRetries.delete(claimed.delivery.identificatie);
      attempted += 1;
      await this.attempt(claimed.delivery, claimed.lookupFirst);
    }
    return attempted;
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pass();
    }, delayMs);
    this.timer.unref?.();
  }

  private pass(): void {
    if (this.closed || this.running !== null) return;
    this.again = false;
    this.running = this.runOnce()
      .then(
        () => undefined,
        (error: unknown) => this.opts.onError(error, 'outbox pass'),
      )
      .finally(() => {
        this.running = null;
        // The next pass runs at the earliest retry still ahead (a little after, so it is due),
        // or at the poll interval, which also finds retries scheduled by other processes.
        let soonest = Number.POSITIVE_INFINITY;
        for (const [id, due] of this.retries) {
          if (due <= this.drainedAt) this.retries.delete(id);
          else soonest = Math.min(soonest, due);
        }
        const untilRetry = Math.max(0, soonest - this.opts.now()) + RETRY_SLACK_MS;
        this.schedule(this.again ? 0 : Math.min(this.timing.pollMs, untilRetry));
      });
  }

  private async attempt(row: DeliveryRow, lookupFirst: boolean): Promise<void> {
    const { identificatie, docId, version, attempts: attempt } = row;
    const submission = await this.opts.store.getSubmission(docId, version);
    // J1: the decided letter (dated and signed the day the decision was taken) is what is archived;
    // a version submitted before decisions were recorded has only its submitted PDF.
    const decided = (await this.opts.store.getDecision?.(docId, version)) ?? null;
    // J2: a letter that leaves with its delivery is sent the day of the attempt that delivers it.
    const startedAt = this.opts.now();
    const sentDay = amsterdamIsoDate(startedAt);
    const dispatch: DispatchRecord | null =
      decided?.sentOn === 'delivery'
        ? { docId, version, verzenddatum: sentDay, bezwaartermijnEinde: bezwaartermijnEinde(sentDay, this.opts.designatedDays), how: 'delivery', by: null, at: startedAt }
        : null;
    let result: Attempt;
    // F15: the frozen attachments with their bytes, each with its deterministic identificatie.
    const attachments = submission === null ? [] : await this.attachmentsOf(submission, identificatie);
    if (submission === null) {
      // Cannot happen through the store's transactions; keep the row and say why.
      result = { kind: 'failed', error: 'submission-missing', retryable: false, outcomeUnknown: false };
    } else if (attachments === null) {
      // The bytes are gone or changed (a purge, a damaged database): no half delivery; the office sees why.
      result = { kind: 'failed', error: 'attachment-missing', retryable: false, outcomeUnknown: false };
    } else {
      const approval = (await this.opts.approvalOf?.(docId, version)) ?? null;
      const previous = await this.previousArchived(docId, version);
      const recordLock = this.opts.store.recordDeliveryLock?.bind(this.opts.store);
      result = await this.tryDeliver(lookupFirst, {
        identificatie,
        zaak: submission.zaak,
        pdf: decided?.pdf ?? submission.pdf,
        pdfSha256: decided?.pdfSha256 ?? submission.pdfSha256,
        metadata: decided?.metadata ?? submission.metadata,
        dagtekening: decided?.dagtekening ?? submission.metadata.creatiedatum,
        ...(dispatch === null ? {} : { verzenddatum: dispatch.verzenddatum, bezwaartermijnEinde: dispatch.bezwaartermijnEinde }),
        version,
        submittedBy: { id: submission.submittedBy, representation: submission.metadata.author, at: submission.submittedAt },
        ...(approval === null ? {} : { approvedBy: { id: approval.by, representation: approval.byName, at: approval.at } }),
        ...(previous === null ? {} : { previous }),
        ...(row.dmsLock === null ? {} : { heldLock: row.dmsLock }),
        ...(recordLock === undefined ? {} : { rememberLock: (lock: string | null) => recordLock({ identificatie, lock }) }),
        ...(attachments.length === 0 ? {} : { attachments }),
      });
    }

    const at = this.opts.now();
    let outcome: DeliveryOutcome;
    if (result.kind === 'delivered') {
      outcome = await this.opts.store.recordDelivered({ identificatie, reference: result.reference, at, ...(dispatch === null ? {} : { dispatch }) });
    } else {
      // O4: a refusal that retrying cannot fix fails at once; anything else after maxAttempts.
      const giveUp = !result.retryable || attempt >= this.timing.maxAttempts;
      const delay = giveUp ? 0 : retryDelay(attempt, this.timing.baseDelayMs, this.timing.maxDelayMs, this.random());
      outcome = await this.opts.store.recordDeliveryFailure({
        identificatie,
        attempt,
        error: result.error,
        outcomeUnknown: result.outcomeUnknown,
        nextAttemptAt: at + delay,
        at,
        giveUp,
      });
      if (!giveUp) this.retries.set(identificatie, at + delay);
      if (!giveUp && isOutageError(result.error)) this.outageRetries.set(identificatie, attempt);
      if (giveUp && outcome.recorded) await this.opts.onSettled?.({ docId, version, identificatie, kind: 'failed', error: result.error });
    }
    if (result.kind === 'delivered' && outcome.recorded) {
      await this.opts.onSettled?.({ docId, version, identificatie, kind: 'delivered', reference: result.reference });
    }
    if (result.kind === 'delivered' && outcome.recorded) await this.hastenOutageRetries(at);
    if (outcome.recorded) this.report(result, submission === null ? null : at - submission.submittedAt);
    if (outcome.recorded && outcome.document !== null) await this.opts.documentChanged(outcome.document);
  }

  /** F15: the submission's frozen attachments with their stored bytes; null when any is missing or changed. */
  private async attachmentsOf(submission: SubmissionRecord, identificatie: string): Promise<DeliveryAttachment[] | null> {
    const frozen = submission.attachments ?? [];
    const read = this.opts.store.readAttachmentBytes?.bind(this.opts.store);
    if (frozen.length === 0) return [];
    if (read === undefined) return null;
    const out: DeliveryAttachment[] = [];
    for (const [index, attachment] of frozen.entries()) {
      const bytes = await read(submission.docId, attachment.id);
      if (bytes === null || bytes.length !== attachment.size || createHash('sha256').update(bytes).digest('hex') !== attachment.sha256) return null;
      out.push({ ...attachment, bytes, identificatie: attachmentIdentificatie(identificatie, index) });
    }
    return out;
  }

  /** The DMS delivered again: what waits on the outage is due now, in this pass. */
  private async hastenOutageRetries(at: number): Promise<void> {
    if (this.outageRetries.size === 0 || this.opts.store.hastenRetries === undefined) return;
    const rows = [...this.outageRetries].map(([identificatie, attempt]) => ({ identificatie, attempt }));
    this.outageRetries.clear();
    const moved = await this.opts.store.hastenRetries(rows, at);
    if (moved > 0) for (const { identificatie } of rows) this.retries.set(identificatie, at);
  }

  /**
   * O5: the latest earlier version of the document that the DMS holds; a DMS that versions one
   * object files this submission into it. Earlier versions not (yet) archived do not count.
   */
  private async previousArchived(docId: string, version: number): Promise<Delivery['previous'] | null> {
    const list = this.opts.store.listSubmissions?.bind(this.opts.store);
    if (version <= 1 || list === undefined) return null;
    const earlier = (await list(docId))
      .filter((s) => s.version < version && s.delivery?.state === 'delivered' && s.delivery.reference !== null)
      .sort((a, b) => b.version - a.version)[0];
    const reference = earlier?.delivery?.reference;
    if (earlier === undefined || reference === undefined || reference === null) return null;
    return { identificatie: earlier.identificatie, version: earlier.version, reference };
  }

  /** Tells the optional observers (metrics); an observer that throws never stops the outbox. */
  private report(result: Attempt, latencyMs: number | null): void {
    try {
      if (result.kind === 'delivered') {
        if (latencyMs !== null) this.opts.onDelivered?.(Math.max(0, latencyMs), this.opts.dms.name);
      } else this.opts.onFailed?.(result.error);
    } catch (error) {
      this.opts.onError(error, 'outbox observer');
    }
  }

  private async tryDeliver(lookupFirst: boolean, delivery: Parameters<DmsAdapter['deliver']>[0]): Promise<Attempt> {
    const { dms } = this.opts;
    if (lookupFirst) {
      const found = await this.bounded<LookupResult>(() => dms.lookup(delivery.identificatie, delivery.zaak, delivery));
      if (found.kind === 'unknown') return { kind: 'failed', error: `lookup-failed: ${found.message}`, retryable: true, outcomeUnknown: true };
      const value = found.value;
      if ('ok' in value) return { kind: 'failed', error: `lookup-failed: ${value.reason}`, retryable: true, outcomeUnknown: true };
      if (value.found) return { kind: 'delivered', reference: value.reference };
    }
    const answer = await this.bounded<DeliverResult>(() => dms.deliver(delivery));
    if (answer.kind === 'unknown') {
      return { kind: 'failed', error: `outcome-unknown: ${answer.message}`, retryable: true, outcomeUnknown: true };
    }
    const value = answer.value;
    if (value.ok) return { kind: 'delivered', reference: value.reference };
    return { kind: 'failed', error: value.reason, retryable: value.retryable, outcomeUnknown: false };
  }

  /** Runs an adapter call; a throw or a timeout is an unknown outcome, not a crash. */
  private async bounded<T>(call: () => Promise<T>): Promise<{ kind: 'value'; value: T } | { kind: 'unknown'; message: string }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<{ kind: 'unknown'; message: string }>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'unknown', message: 'dms-timeout' }), this.timing.attemptTimeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([
        call().then(
          (value) => ({ kind: 'value' as const, value }),
          (error: unknown) => ({ kind: 'unknown' as const, message: error instanceof Error ? error.message : String(error) }),
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

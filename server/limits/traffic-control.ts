// The sync server's limits in one place (L5–L10): the settings, the ledger of what each user and
// device holds, one guard per connection, and a count of every time a limit acted, which
// /metrics reports and tests read. `ws-route.ts` and `connection.ts` ask it; it never closes
// a socket itself.
import type { TrafficLimits } from './settings';
import { createTrafficGuard, type LimitEvent, type TrafficGuard } from './traffic-guard';
import { UsageLedger } from './usage-ledger';
import { createAttemptGate, type AttemptGate } from './attempt-gate';
import { createLocalAdmissionQuota, type AdmissionQuota } from './admission-quota';

export type TrafficEvent = LimitEvent | 'ping-timeout';

export interface TrafficControl {
  readonly limits: TrafficLimits;
  readonly ledger: UsageLedger;
  /** Sockets, rooms (L7) and new documents (L8): the ledger, or shared over processes (CL12). */
  readonly quota: AdmissionQuota;
  /** Connection attempts per token (L10). */
  readonly attempts: AttemptGate;
  guardFor(userId: string): TrafficGuard;
  /** Records that a limit acted (also for refusals decided outside a guard). */
  count(event: TrafficEvent): void;
  /** Times each limit acted since start. */
  counts(): ReadonlyMap<TrafficEvent, number>;
}

export function createTrafficControl(
  limits: TrafficLimits,
  now: () => number,
  onEvent: (event: TrafficEvent) => void = () => undefined,
  /** CL12: a quota shared with other processes; it falls back on this process's ledger. */
  quotaOf: (ledger: UsageLedger) => AdmissionQuota = createLocalAdmissionQuota,
): TrafficControl {
  const ledger = new UsageLedger(limits, now);
  const seen = new Map<TrafficEvent, number>();
  const count = (event: TrafficEvent): void => {
    seen.set(event, (seen.get(event) ?? 0) + 1);
    onEvent(event);
  };
  return {
    limits,
    ledger,
    quota: quotaOf(ledger),
    attempts: createAttemptGate(limits.connectBurst, limits.connectPerSecond, now),
    guardFor: (userId) => createTrafficGuard(limits, ledger, userId, now, count),
    count,
    counts: () => seen,
  };
}

// The quotas a socket is admitted under (L7: sockets and rooms per user and device) and the
// hourly new-document quota (L8), as one small interface: in one process the UsageLedger answers;
// with REDIS_URL a shared implementation counts over every process (CL12,
// server/cluster/redis-admission-quota.ts). Asynchronous because the shared one asks Redis.
import type { LimitReason } from '../../shared/protocol/limit-reasons';
import type { Admit, Holder, UsageLedger } from './usage-ledger';

export interface AdmissionQuota {
  /** Takes one socket in `room` for this user and device, or says which quota is full (L7). */
  admit(holder: Holder, room: string): Promise<Admit>;
  /** Counts one new document against the hourly quotas; null when allowed (L8). */
  takeNewDocument(holder: Holder): Promise<LimitReason | null>;
  /** Stops background work (lease renewal); admissions already given stay valid until released. */
  close(): void;
}

/** Per process: the ledger itself. */
export function createLocalAdmissionQuota(ledger: UsageLedger): AdmissionQuota {
  return {
    admit: (holder, room) => Promise.resolve(ledger.admit(holder, room)),
    takeNewDocument: (holder) => Promise.resolve(ledger.takeNewDocument(holder)),
    close: () => undefined,
  };
}

// What each user and each device holds on the sync server right now: open sockets, rooms joined,
// new documents created this hour, bytes and presence bytes sent this second (L6–L8). In memory and per process;
// an idle entry is forgotten once its buckets are full again, so it stays as small as the
// number of active accounts and devices.
import { LimitReason } from '../../shared/protocol/limit-reasons';
import { createRateBucket, type RateBucket } from './rate-bucket';
import type { TrafficLimits } from './settings';

export interface Holder {
  userId: string;
  deviceId: string;
}

/** One admitted socket's share: give it back exactly once when the socket closes. */
export interface Admission {
  release(): void;
}

/**
 * CL13: bytes per second per user over every process. Asked before this process's own bucket;
 * it answers at once from what it last heard (a shared count is charged in the background).
 */
export interface SharedByteRate {
  admits(userId: string, bytes: number): boolean;
}

export type Admit = { ok: true; admission: Admission } | { ok: false; reason: LimitReason };

interface Usage {
  sockets: number;
  /** Room key → sockets of this holder in it. */
  rooms: Map<string, number>;
  newDocuments: RateBucket;
  bytes: RateBucket | null;
  awarenessBytes: RateBucket | null;
}

const HOUR_S = 3600;

export class UsageLedger {
  private readonly users = new Map<string, Usage>();
  private readonly devices = new Map<string, Usage>();
  /** Set when the user's byte rate is shared with other processes (CL13); null in one process. */
  sharedBytes: SharedByteRate | null = null;

  constructor(
    private readonly limits: TrafficLimits,
    private readonly now: () => number,
  ) {}

  /** Takes one socket in `room` for this user and device, or says which quota is full (L7). */
  admit(holder: Holder, room: string): Admit {
    const user = this.user(holder.userId);
    const device = this.device(holder.deviceId);
    if (user.sockets >= this.limits.socketsPerUser) return { ok: false, reason: LimitReason.socketsPerUser };
    if (device.sockets >= this.limits.socketsPerDevice) return { ok: false, reason: LimitReason.socketsPerDevice };
    if (!user.rooms.has(room) && user.rooms.size >= this.limits.roomsPerUser) {
      return { ok: false, reason: LimitReason.roomsPerUser };
    }
    if (!device.rooms.has(room) && device.rooms.size >= this.limits.roomsPerDevice) {
      return { ok: false, reason: LimitReason.roomsPerDevice };
    }
    for (const usage of [user, device]) {
      usage.sockets += 1;
      usage.rooms.set(room, (usage.rooms.get(room) ?? 0) + 1);
    }
    let released = false;
    return {
      ok: true,
      admission: {
        release: () => {
          if (released) return;
          released = true;
          this.give(this.users, holder.userId, room);
          this.give(this.devices, holder.deviceId, room);
        },
      },
    };
  }

  /** Counts one new document against the hourly quotas; null when allowed (L8). */
  takeNewDocument(holder: Holder): LimitReason | null {
    const user = this.user(holder.userId);
    const device = this.device(holder.deviceId);
    // Checked before either is taken, so a refusal by one does not spend the other.
    if (!user.newDocuments.has()) return LimitReason.newDocumentsPerUser;
    if (!device.newDocuments.has()) return LimitReason.newDocumentsPerDevice;
    user.newDocuments.take();
    device.newDocuments.take();
    return null;
  }

  /** Charges `bytes` received from this user; false once they send faster than allowed (L6). */
  takeBytes(userId: string, bytes: number): boolean {
    if (this.sharedBytes !== null && !this.sharedBytes.admits(userId, bytes)) return false;
    const user = this.user(userId);
    user.bytes ??= createRateBucket(this.limits.userBytesBurst, this.limits.userBytesPerSecond, this.now);
    return user.bytes.take(bytes);
  }

  /** Charges the bytes of a presence change by this user; false once they change it faster than allowed (L6). */
  takeAwarenessBytes(userId: string, bytes: number): boolean {
    const user = this.user(userId);
    user.awarenessBytes ??= createRateBucket(this.limits.awarenessBytesBurst, this.limits.awarenessBytesPerSecond, this.now);
    return user.awarenessBytes.take(bytes);
  }

  /** For tests and metrics: sockets held by a user. */
  socketsOf(userId: string): number {
    return this.users.get(userId)?.sockets ?? 0;
  }

  private user(userId: string): Usage {
    return this.entry(this.users, userId, this.limits.newDocumentsPerHourUser);
  }

  private device(deviceId: string): Usage {
    return this.entry(this.devices, deviceId, this.limits.newDocumentsPerHourDevice);
  }

  private entry(map: Map<string, Usage>, key: string, perHour: number): Usage {
    let usage = map.get(key);
    if (usage === undefined) {
      usage = { sockets: 0, rooms: new Map(), newDocuments: createRateBucket(perHour, perHour / HOUR_S, this.now), bytes: null, awarenessBytes: null };
      map.set(key, usage);
    }
    return usage;
  }

  private give(map: Map<string, Usage>, key: string, room: string): void {
    const usage = map.get(key);
    if (usage === undefined) return;
    usage.sockets -= 1;
    const inRoom = (usage.rooms.get(room) ?? 1) - 1;
    if (inRoom <= 0) usage.rooms.delete(room);
    else usage.rooms.set(room, inRoom);
    const full = (bucket: RateBucket | null): boolean => bucket === null || bucket.isFull();
    if (usage.sockets <= 0 && usage.newDocuments.isFull() && full(usage.bytes) && full(usage.awarenessBytes)) {
      map.delete(key);
    }
  }
}

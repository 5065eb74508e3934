// The sync server's traffic limits (L5–L10) as named settings: defaults that no honest field
// worker reaches, read from the environment at start; a malformed value is an error naming the
// variable, so main.ts stops the start before anything listens.

export interface TrafficLimits {
  /** Outgoing bytes queued on one socket past which awareness to it is dropped (L5). */
  sendQueueSoftBytes: number;
  /** Outgoing bytes queued on one socket past which it is closed with 4429 (L5). */
  sendQueueHardBytes: number;
  /** Awareness updates one connection may send: burst and refill per second (L6). */
  awarenessBurst: number;
  awarenessPerSecond: number;
  /** Largest new presence state of one client (JSON characters); bigger closes with 4413 (L6). */
  awarenessMaxBytes: number;
  /**
   * Bytes of presence changes one user may send across all their sockets: burst and refill per
   * second (L6). Reconnecting does not refill it, unlike the per-connection count.
   */
  awarenessBytesBurst: number;
  awarenessBytesPerSecond: number;
  /** Bytes one user may send across all their sockets: burst and refill per second (L6). */
  userBytesBurst: number;
  userBytesPerSecond: number;
  /** Open sockets at once (L7). */
  socketsPerUser: number;
  socketsPerDevice: number;
  /** Different rooms joined at once (L7). */
  roomsPerUser: number;
  roomsPerDevice: number;
  /** New documents created per hour (L8). */
  newDocumentsPerHourUser: number;
  newDocumentsPerHourDevice: number;
  /** Sockets one token may open: burst and refill per second, checked before it is verified (L10). */
  connectBurst: number;
  connectPerSecond: number;
  /** How long a socket refused at admission (L7, L8, L10) is held before its 4429 close (L10). */
  refusalDelayMs: number;
  /** Ping every this many ms; a socket silent for `pongTimeoutMs` is dropped (L9). */
  pingIntervalMs: number;
  pongTimeoutMs: number;
}

const MIB = 1024 * 1024;

export const defaultTrafficLimits: TrafficLimits = {
  sendQueueSoftBytes: 1 * MIB,
  sendQueueHardBytes: 32 * MIB,
  awarenessBurst: 60,
  awarenessPerSecond: 10,
  awarenessMaxBytes: 4 * 1024,
  awarenessBytesBurst: 256 * 1024,
  awarenessBytesPerSecond: 32 * 1024,
  userBytesBurst: 32 * MIB,
  userBytesPerSecond: 2 * MIB,
  socketsPerUser: 100,
  socketsPerDevice: 40,
  roomsPerUser: 100,
  roomsPerDevice: 40,
  newDocumentsPerHourUser: 200,
  newDocumentsPerHourDevice: 100,
  connectBurst: 60,
  connectPerSecond: 5,
  refusalDelayMs: 1_000,
  pingIntervalMs: 15_000,
  pongTimeoutMs: 45_000,
};

interface SettingSpec {
  env: string;
  key: keyof TrafficLimits;
  min: number;
  max: number;
  unit: string;
}

/** The environment variables, in the README's order. */
export const TRAFFIC_SETTINGS: readonly SettingSpec[] = [
  { env: 'SYNC_SEND_QUEUE_SOFT_BYTES', key: 'sendQueueSoftBytes', min: 1024, max: 1024 * MIB, unit: 'bytes' },
  { env: 'SYNC_SEND_QUEUE_HARD_BYTES', key: 'sendQueueHardBytes', min: 1024, max: 4096 * MIB, unit: 'bytes' },
  { env: 'SYNC_AWARENESS_BURST', key: 'awarenessBurst', min: 1, max: 100_000, unit: 'updates' },
  { env: 'SYNC_AWARENESS_PER_SECOND', key: 'awarenessPerSecond', min: 1, max: 100_000, unit: 'updates per second' },
  { env: 'SYNC_AWARENESS_MAX_BYTES', key: 'awarenessMaxBytes', min: 256, max: 1024 * MIB, unit: 'bytes' },
  { env: 'SYNC_AWARENESS_BYTES_BURST', key: 'awarenessBytesBurst', min: 1024, max: 4096 * MIB, unit: 'bytes' },
  { env: 'SYNC_AWARENESS_BYTES_PER_SECOND', key: 'awarenessBytesPerSecond', min: 256, max: 4096 * MIB, unit: 'bytes per second' },
  { env: 'SYNC_USER_BYTES_BURST', key: 'userBytesBurst', min: 1024, max: 4096 * MIB, unit: 'bytes' },
  { env: 'SYNC_USER_BYTES_PER_SECOND', key: 'userBytesPerSecond', min: 1024, max: 4096 * MIB, unit: 'bytes per second' },
  { env: 'SYNC_SOCKETS_PER_USER', key: 'socketsPerUser', min: 1, max: 1_000_000, unit: 'sockets' },
  { env: 'SYNC_SOCKETS_PER_DEVICE', key: 'socketsPerDevice', min: 1, max: 1_000_000, unit: 'sockets' },
  { env: 'SYNC_ROOMS_PER_USER', key: 'roomsPerUser', min: 1, max: 1_000_000, unit: 'rooms' },
  { env: 'SYNC_ROOMS_PER_DEVICE', key: 'roomsPerDevice', min: 1, max: 1_000_000, unit: 'rooms' },
  { env: 'SYNC_NEW_DOCUMENTS_PER_HOUR_USER', key: 'newDocumentsPerHourUser', min: 1, max: 1_000_000, unit: 'documents' },
  { env: 'SYNC_NEW_DOCUMENTS_PER_HOUR_DEVICE', key: 'newDocumentsPerHourDevice', min: 1, max: 1_000_000, unit: 'documents' },
  { env: 'SYNC_CONNECT_BURST', key: 'connectBurst', min: 1, max: 1_000_000, unit: 'sockets' },
  { env: 'SYNC_CONNECT_PER_SECOND', key: 'connectPerSecond', min: 1, max: 1_000_000, unit: 'sockets per second' },
  { env: 'SYNC_REFUSAL_DELAY_MS', key: 'refusalDelayMs', min: 0, max: 60_000, unit: 'ms' },
  { env: 'SYNC_PING_INTERVAL_MS', key: 'pingIntervalMs', min: 100, max: 3_600_000, unit: 'ms' },
  { env: 'SYNC_PONG_TIMEOUT_MS', key: 'pongTimeoutMs', min: 200, max: 3_600_000, unit: 'ms' },
];

export type TrafficLimitsResult = { ok: true; limits: TrafficLimits } | { ok: false; error: string };

/** Reads every SYNC_* limit; unset or blank keeps the default. */
export function readTrafficLimits(env: Record<string, string | undefined>): TrafficLimitsResult {
  const limits: TrafficLimits = { ...defaultTrafficLimits };
  for (const spec of TRAFFIC_SETTINGS) {
    const raw = env[spec.env]?.trim() ?? '';
    if (raw === '') continue;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < spec.min || value > spec.max) {
      return { ok: false, error: `${spec.env} must be a whole number from ${spec.min} to ${spec.max} (${spec.unit}), got "${raw}"` };
    }
    limits[spec.key] = value;
  }
  const problem = checkTrafficLimits(limits);
  return problem === null ? { ok: true, limits } : { ok: false, error: problem };
}

/** Relations between settings; null when they fit together. */
export function checkTrafficLimits(limits: TrafficLimits): string | null {
  if (limits.sendQueueSoftBytes > limits.sendQueueHardBytes) {
    return `SYNC_SEND_QUEUE_SOFT_BYTES (${limits.sendQueueSoftBytes}) must not exceed SYNC_SEND_QUEUE_HARD_BYTES (${limits.sendQueueHardBytes})`;
  }
  if (limits.pingIntervalMs >= limits.pongTimeoutMs) {
    return `SYNC_PING_INTERVAL_MS (${limits.pingIntervalMs}) must be shorter than SYNC_PONG_TIMEOUT_MS (${limits.pongTimeoutMs})`;
  }
  return null;
}

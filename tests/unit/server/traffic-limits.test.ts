// The pure parts of the sync server's limits (L5–L9): reading the SYNC_* settings, the rate
// bucket, and the ledger of sockets, rooms and new documents per user and device, on a fake clock.
import { describe, expect, it } from 'vitest';
import { createRateBucket } from '../../../server/limits/rate-bucket';
import { defaultTrafficLimits, readTrafficLimits } from '../../../server/limits/settings';
import { UsageLedger } from '../../../server/limits/usage-ledger';
import { LimitReason } from '../../../shared/protocol/limit-reasons';

describe('traffic limit settings', () => {
  it('[L5] [L6] [L7] [L8] [L9] unset settings keep defaults no honest field worker reaches', () => {
    const read = readTrafficLimits({});
    expect(read).toEqual({ ok: true, limits: defaultTrafficLimits });
    // The app opens at most 4 background sockets plus open documents and 2 lists per device.
    expect(defaultTrafficLimits.socketsPerDevice).toBeGreaterThanOrEqual(20);
    expect(defaultTrafficLimits.pongTimeoutMs + defaultTrafficLimits.pingIntervalMs).toBeLessThanOrEqual(60_000);
  });

  it('[L7] a value is read by its name', () => {
    const read = readTrafficLimits({ SYNC_SOCKETS_PER_USER: ' 7 ', SYNC_PING_INTERVAL_MS: '' });
    expect(read.ok && read.limits.socketsPerUser).toBe(7);
    expect(read.ok && read.limits.pingIntervalMs).toBe(defaultTrafficLimits.pingIntervalMs);
  });

  it.each([
    ['SYNC_SOCKETS_PER_USER', 'veel'],
    ['SYNC_ROOMS_PER_DEVICE', '0'],
    ['SYNC_SEND_QUEUE_HARD_BYTES', '1.5'],
    ['SYNC_AWARENESS_PER_SECOND', '-3'],
    ['SYNC_PONG_TIMEOUT_MS', '99999999999'],
  ])('[L5] [L9] a malformed %s=%s is an error naming it', (name, value) => {
    const read = readTrafficLimits({ [name]: value });
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toContain(name);
  });

  it('[L5] [L9] settings that contradict each other are an error naming both', () => {
    const queue = readTrafficLimits({ SYNC_SEND_QUEUE_SOFT_BYTES: '2048', SYNC_SEND_QUEUE_HARD_BYTES: '1024' });
    expect(!queue.ok && queue.error).toMatch(/SYNC_SEND_QUEUE_SOFT_BYTES.*SYNC_SEND_QUEUE_HARD_BYTES/);
    const ping = readTrafficLimits({ SYNC_PING_INTERVAL_MS: '60000', SYNC_PONG_TIMEOUT_MS: '30000' });
    expect(!ping.ok && ping.error).toMatch(/SYNC_PING_INTERVAL_MS.*SYNC_PONG_TIMEOUT_MS/);
  });
});

describe('rate bucket', () => {
  it('[L6] refills at its rate and lets one oversized amount through a full bucket only', () => {
    let t = 0;
    const bucket = createRateBucket(100, 10, () => t);
    expect(bucket.take(60)).toBe(true);
    expect(bucket.take(60)).toBe(false);
    t += 2_000; // +20
    expect(bucket.take(60)).toBe(true);
    t += 100_000;
    expect(bucket.isFull()).toBe(true);
    expect(bucket.take(250)).toBe(true); // a single large message: debt
    expect(bucket.has(1)).toBe(false);
    t += 16_000;
    expect(bucket.has(1)).toBe(true);
  });
});

describe('usage ledger', () => {
  const limits = { ...defaultTrafficLimits, socketsPerUser: 3, socketsPerDevice: 2, roomsPerUser: 3, roomsPerDevice: 2, newDocumentsPerHourUser: 4, newDocumentsPerHourDevice: 3 };
  const phone = { userId: 'u1', deviceId: 'd1' };
  const laptop = { userId: 'u1', deviceId: 'd2' };

  it('[L7] counts sockets and distinct rooms per user and device and gives them back once', () => {
    const ledger = new UsageLedger(limits, () => 0);
    const a = ledger.admit(phone, 'doc:a');
    const b = ledger.admit(phone, 'doc:a');
    expect(a.ok && b.ok).toBe(true);
    expect(ledger.admit(phone, 'doc:b')).toEqual({ ok: false, reason: LimitReason.socketsPerDevice });
    expect(ledger.admit(laptop, 'doc:b').ok).toBe(true);
    expect(ledger.admit(laptop, 'doc:c')).toEqual({ ok: false, reason: LimitReason.socketsPerUser });
    if (a.ok) {
      a.admission.release();
      a.admission.release(); // twice is once
    }
    expect(ledger.socketsOf('u1')).toBe(2);
    expect(ledger.admit(phone, 'doc:c').ok).toBe(true);

    const rooms = new UsageLedger({ ...limits, socketsPerUser: 100, socketsPerDevice: 100 }, () => 0);
    expect(rooms.admit(phone, 'doc:a').ok && rooms.admit(phone, 'doc:b').ok && rooms.admit(phone, 'doc:b').ok).toBe(true);
    expect(rooms.admit(phone, 'doc:c')).toEqual({ ok: false, reason: LimitReason.roomsPerDevice });
    expect(rooms.admit(laptop, 'doc:c').ok).toBe(true);
    expect(rooms.admit(laptop, 'doc:d')).toEqual({ ok: false, reason: LimitReason.roomsPerUser });
  });

  it('[L8] new documents per hour per user and per device, refilled over the hour', () => {
    let t = 0;
    const ledger = new UsageLedger(limits, () => t);
    for (let i = 0; i < 3; i += 1) expect(ledger.takeNewDocument(phone)).toBeNull();
    expect(ledger.takeNewDocument(phone)).toBe(LimitReason.newDocumentsPerDevice);
    expect(ledger.takeNewDocument(laptop)).toBeNull();
    expect(ledger.takeNewDocument(laptop)).toBe(LimitReason.newDocumentsPerUser);
    t += 15 * 60_000; // a quarter of an hour gives the user one back
    expect(ledger.takeNewDocument(laptop)).toBeNull();
    expect(ledger.takeNewDocument(laptop)).toBe(LimitReason.newDocumentsPerUser);
  });
});

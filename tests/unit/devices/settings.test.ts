// K21: the device vault's settings are read once at start; a wrong value names its variable.
import { describe, expect, it } from 'vitest';
import { defaultDeviceSettings, readDeviceSettings } from '../../../server/devices/settings';
import { deviceStanding, DAY_MS } from '../../../server/devices/standing';

describe('DEVICE_* settings', () => {
  it('[K21] defaults: 6 digits, 10 attempts, 300 s idle lock, 14 grace days warned 3 days before, 7 drain days, SCIM leavers send-then-wipe', () => {
    expect(readDeviceSettings({})).toEqual({ ok: true, settings: defaultDeviceSettings });
    expect(defaultDeviceSettings).toEqual({
      lockPolicy: { minPinDigits: 6, maxAttempts: 10, idleLockMs: 300_000, graceDays: 14, graceWarnDays: 3 },
      drainDays: 7,
      scimDeprovisionWipe: 'send-then-wipe',
    });
  });

  it('[K21] reads every variable', () => {
    const read = readDeviceSettings({
      DEVICE_PIN_MIN_DIGITS: '8',
      DEVICE_PIN_MAX_ATTEMPTS: '5',
      DEVICE_IDLE_LOCK_SECONDS: '60',
      DEVICE_GRACE_DAYS: '30',
      DEVICE_GRACE_WARN_DAYS: '7',
      DEVICE_DRAIN_DAYS: '2',
      SCIM_DEPROVISION_WIPE: 'wipe-now',
    });
    expect(read).toEqual({
      ok: true,
      settings: { lockPolicy: { minPinDigits: 8, maxAttempts: 5, idleLockMs: 60_000, graceDays: 30, graceWarnDays: 7 }, drainDays: 2, scimDeprovisionWipe: 'wipe-now' },
    });
  });

  it.each([
    ['DEVICE_PIN_MIN_DIGITS', '4'],
    ['DEVICE_PIN_MIN_DIGITS', 'zes'],
    ['DEVICE_PIN_MAX_ATTEMPTS', '0'],
    ['DEVICE_IDLE_LOCK_SECONDS', '1.5'],
    ['DEVICE_GRACE_DAYS', '-1'],
    ['DEVICE_DRAIN_DAYS', '0'],
    ['SCIM_DEPROVISION_WIPE', 'later'],
  ])('[K21] %s=%s stops the start with a message naming it', (name, value) => {
    const read = readDeviceSettings({ [name]: value });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toContain(name);
  });

  it('[K21] the warning must come before the grace period ends', () => {
    const read = readDeviceSettings({ DEVICE_GRACE_DAYS: '3', DEVICE_GRACE_WARN_DAYS: '3' });
    expect(read).toEqual({ ok: false, error: expect.stringContaining('DEVICE_GRACE_WARN_DAYS') as string });
  });
});

describe('a device’s standing', () => {
  it('[K23] [K24] active; draining within DEVICE_DRAIN_DAYS of a send-then-wipe, then wiped as lost; wipe-now at once; a revocation nobody chose for keeps the data', () => {
    const at = 1_000_000;
    expect(deviceStanding({ revokedAt: null, wipe: null }, at, 7)).toEqual({ kind: 'active' });
    expect(deviceStanding({ revokedAt: at, wipe: 'send-then-wipe' }, at + 7 * DAY_MS - 1, 7)).toEqual({ kind: 'draining', until: at + 7 * DAY_MS });
    expect(deviceStanding({ revokedAt: at, wipe: 'send-then-wipe' }, at + 7 * DAY_MS, 7)).toEqual({ kind: 'revoked', wipe: 'wipe-now', chosen: true });
    expect(deviceStanding({ revokedAt: at, wipe: 'wipe-now' }, at, 7)).toEqual({ kind: 'revoked', wipe: 'wipe-now', chosen: true });
    expect(deviceStanding({ revokedAt: at, wipe: null }, at, 7)).toEqual({ kind: 'revoked', wipe: 'send-then-wipe', chosen: false });
  });
});

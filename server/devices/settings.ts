// K21: the device vault's settings (DEVICE_*, SCIM_DEPROVISION_WIPE), read from the environment at
// start. The lock policy goes to every device with its keys; the drain period and SCIM's wipe mode
// stay on the server. A malformed value is an error naming the variable: main.ts stops the start.
import type { DeviceWipe } from '../store/types';

export interface LockPolicySettings {
  minPinDigits: number;
  maxAttempts: number;
  idleLockMs: number;
  graceDays: number;
  graceWarnDays: number;
}

export interface DeviceSettings {
  lockPolicy: LockPolicySettings;
  /** K24: how long a device revoked with send-then-wipe may still send its unsent work. */
  drainDays: number;
  /** K27: the wipe mode of devices revoked by SCIM deprovisioning (a leaver by default). */
  scimDeprovisionWipe: DeviceWipe;
}

export const defaultDeviceSettings: DeviceSettings = {
  lockPolicy: { minPinDigits: 6, maxAttempts: 10, idleLockMs: 300_000, graceDays: 14, graceWarnDays: 3 },
  drainDays: 7,
  scimDeprovisionWipe: 'send-then-wipe',
};

export type DeviceSettingsResult = { ok: true; settings: DeviceSettings } | { ok: false; error: string };

interface IntRule {
  name: string;
  min: number;
  max: number;
  fallback: number;
  unit: string;
}

function readInt(env: Record<string, string | undefined>, rule: IntRule): number | string {
  const raw = env[rule.name]?.trim();
  if (raw === undefined || raw === '') return rule.fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
    return `${rule.name} must be a whole number of ${rule.unit} from ${rule.min} to ${rule.max}, got "${raw}"`;
  }
  return value;
}

export function readDeviceSettings(env: Record<string, string | undefined>): DeviceSettingsResult {
  const d = defaultDeviceSettings;
  const values = [
    readInt(env, { name: 'DEVICE_PIN_MIN_DIGITS', min: 6, max: 12, fallback: d.lockPolicy.minPinDigits, unit: 'digits' }),
    readInt(env, { name: 'DEVICE_PIN_MAX_ATTEMPTS', min: 3, max: 100, fallback: d.lockPolicy.maxAttempts, unit: 'attempts' }),
    readInt(env, { name: 'DEVICE_IDLE_LOCK_SECONDS', min: 30, max: 86_400, fallback: d.lockPolicy.idleLockMs / 1000, unit: 'seconds' }),
    readInt(env, { name: 'DEVICE_GRACE_DAYS', min: 1, max: 365, fallback: d.lockPolicy.graceDays, unit: 'days' }),
    readInt(env, { name: 'DEVICE_GRACE_WARN_DAYS', min: 0, max: 365, fallback: d.lockPolicy.graceWarnDays, unit: 'days' }),
    readInt(env, { name: 'DEVICE_DRAIN_DAYS', min: 1, max: 365, fallback: d.drainDays, unit: 'days' }),
  ];
  const problem = values.find((v): v is string => typeof v === 'string');
  if (problem !== undefined) return { ok: false, error: problem };
  const [minPinDigits, maxAttempts, idleSeconds, graceDays, graceWarnDays, drainDays] = values as number[];
  if (graceWarnDays! >= graceDays!) {
    return { ok: false, error: `DEVICE_GRACE_WARN_DAYS (${graceWarnDays}) must be less than DEVICE_GRACE_DAYS (${graceDays})` };
  }
  const wipeRaw = env.SCIM_DEPROVISION_WIPE?.trim() || d.scimDeprovisionWipe;
  if (wipeRaw !== 'wipe-now' && wipeRaw !== 'send-then-wipe') {
    return { ok: false, error: `SCIM_DEPROVISION_WIPE must be "wipe-now" or "send-then-wipe", got "${wipeRaw}"` };
  }
  return {
    ok: true,
    settings: {
      lockPolicy: { minPinDigits: minPinDigits!, maxAttempts: maxAttempts!, idleLockMs: idleSeconds! * 1000, graceDays: graceDays!, graceWarnDays: graceWarnDays! },
      drainDays: drainDays!,
      scimDeprovisionWipe: wipeRaw,
    },
  };
}

// F10: the attachment limits as named settings (README's table), read from the environment at
// start; a malformed or contradictory value is an error naming the variable, so main.ts stops the
// start before anything listens. The device reads them from GET /api/attachment-policy.

export interface AttachmentSettings {
  /** Largest attachment in bytes, after the device resized it (ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** Attachments one document may list (ATTACHMENT_MAX_PER_DOCUMENT). */
  maxPerDocument: number;
  /** Largest chunk of one PATCH; the route's body limit (ATTACHMENT_CHUNK_BYTES). */
  chunkBytes: number;
  /** Long side in pixels the device resizes a photo to (ATTACHMENT_IMAGE_LONG_SIDE). */
  imageLongSide: number;
  /** F11: bytes one user may upload per day, all devices together (ATTACHMENT_DAILY_BYTES_PER_USER). */
  dailyBytesPerUser: number;
}

const MB = 1024 * 1024;

export const defaultAttachmentSettings: AttachmentSettings = {
  maxBytes: 20 * MB,
  maxPerDocument: 20,
  chunkBytes: 1 * MB,
  imageLongSide: 2000,
  dailyBytesPerUser: 1024 * MB,
};

interface SettingSpec {
  env: string;
  key: keyof AttachmentSettings;
  min: number;
  max: number;
  unit: string;
}

/** The environment variables, in the README's order. */
export const ATTACHMENT_SETTINGS: readonly SettingSpec[] = [
  { env: 'ATTACHMENT_MAX_BYTES', key: 'maxBytes', min: 1024, max: 512 * MB, unit: 'bytes' },
  { env: 'ATTACHMENT_MAX_PER_DOCUMENT', key: 'maxPerDocument', min: 1, max: 200, unit: 'attachments' },
  { env: 'ATTACHMENT_CHUNK_BYTES', key: 'chunkBytes', min: 16 * 1024, max: 64 * MB, unit: 'bytes' },
  { env: 'ATTACHMENT_IMAGE_LONG_SIDE', key: 'imageLongSide', min: 320, max: 10_000, unit: 'pixels' },
  { env: 'ATTACHMENT_DAILY_BYTES_PER_USER', key: 'dailyBytesPerUser', min: 1024, max: 1024 * 1024 * MB, unit: 'bytes' },
];

export type AttachmentSettingsResult = { ok: true; settings: AttachmentSettings } | { ok: false; error: string };

/** Reads every ATTACHMENT_* setting; unset or blank keeps the default. */
export function readAttachmentSettings(env: Record<string, string | undefined>): AttachmentSettingsResult {
  const settings: AttachmentSettings = { ...defaultAttachmentSettings };
  for (const spec of ATTACHMENT_SETTINGS) {
    const raw = env[spec.env]?.trim() ?? '';
    if (raw === '') continue;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < spec.min || value > spec.max) {
      return { ok: false, error: `${spec.env} must be a whole number from ${spec.min} to ${spec.max} (${spec.unit}), got "${raw}"` };
    }
    settings[spec.key] = value;
  }
  const problem = checkAttachmentSettings(settings);
  return problem === null ? { ok: true, settings } : { ok: false, error: problem };
}

/** Relations between settings; null when they fit together. */
export function checkAttachmentSettings(s: AttachmentSettings): string | null {
  for (const spec of ATTACHMENT_SETTINGS) {
    const value = s[spec.key];
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) return `${spec.env} must be a whole number from ${spec.min} to ${spec.max} (${spec.unit})`;
  }
  if (s.dailyBytesPerUser < s.maxBytes) {
    return `ATTACHMENT_DAILY_BYTES_PER_USER (${s.dailyBytesPerUser}) must not be below ATTACHMENT_MAX_BYTES (${s.maxBytes})`;
  }
  return null;
}

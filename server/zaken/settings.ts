// X4, X5: the zaak look-up's named settings (README's table): ZAAK_LOOKUP (`on` default with
// DMS_ADAPTER=zgw, `off` to keep the zaak field free text), ZAAK_LOOKUP_TIMEOUT_MS (per call to the
// Zaken API) and ZAAK_LOOKUP_PER_MINUTE (look-ups one user may make). A malformed value is an
// error naming the variable, so the start stops before anything listens.

export interface ZaakLookupSettings {
  enabled: boolean;
  timeoutMs: number;
  perMinute: number;
}

export const defaultZaakLookupSettings: ZaakLookupSettings = { enabled: true, timeoutMs: 5_000, perMinute: 60 };

export type ZaakLookupSettingsResult = { ok: true; settings: ZaakLookupSettings } | { ok: false; error: string };

function whole(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number | string {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) return `${name} must be a whole number between ${min} and ${max}, got "${raw}"`;
  return Number(raw);
}

export function readZaakLookupSettings(env: Record<string, string | undefined>): ZaakLookupSettingsResult {
  const switchValue = (env.ZAAK_LOOKUP?.trim() ?? '').toLowerCase() || 'on';
  if (switchValue !== 'on' && switchValue !== 'off') return { ok: false, error: `ZAAK_LOOKUP must be "on" or "off", got "${env.ZAAK_LOOKUP ?? ''}"` };
  const timeoutMs = whole(env, 'ZAAK_LOOKUP_TIMEOUT_MS', defaultZaakLookupSettings.timeoutMs, 100, 60_000);
  if (typeof timeoutMs === 'string') return { ok: false, error: timeoutMs };
  const perMinute = whole(env, 'ZAAK_LOOKUP_PER_MINUTE', defaultZaakLookupSettings.perMinute, 1, 10_000);
  if (typeof perMinute === 'string') return { ok: false, error: perMinute };
  return { ok: true, settings: { enabled: switchValue === 'on', timeoutMs, perMinute } };
}

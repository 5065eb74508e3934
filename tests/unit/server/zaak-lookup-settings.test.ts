// X4, X5: the zaak look-up's settings: defaults, bounds, and a malformed value named so the start stops.
import { describe, expect, it } from 'vitest';
import { defaultZaakLookupSettings, readZaakLookupSettings } from '../../../server/zaken/settings';

describe('zaak look-up settings', () => {
  it('[X4] [X5] defaults: on, 5 s per call, 60 look-ups a minute', () => {
    expect(readZaakLookupSettings({})).toEqual({ ok: true, settings: defaultZaakLookupSettings });
    expect(defaultZaakLookupSettings).toEqual({ enabled: true, timeoutMs: 5_000, perMinute: 60 });
    expect(readZaakLookupSettings({ ZAAK_LOOKUP: 'OFF', ZAAK_LOOKUP_TIMEOUT_MS: '800', ZAAK_LOOKUP_PER_MINUTE: ' 5 ' })).toEqual({
      ok: true,
      settings: { enabled: false, timeoutMs: 800, perMinute: 5 },
    });
  });

  it('[X4] [X5] a malformed or out-of-bounds value stops the start naming the variable', () => {
    expect(readZaakLookupSettings({ ZAAK_LOOKUP: 'ja' })).toEqual({ ok: false, error: expect.stringContaining('ZAAK_LOOKUP must be') as string });
    expect(readZaakLookupSettings({ ZAAK_LOOKUP_TIMEOUT_MS: '50' })).toEqual({ ok: false, error: expect.stringContaining('ZAAK_LOOKUP_TIMEOUT_MS') as string });
    expect(readZaakLookupSettings({ ZAAK_LOOKUP_TIMEOUT_MS: '5s' })).toEqual({ ok: false, error: expect.stringContaining('ZAAK_LOOKUP_TIMEOUT_MS') as string });
    expect(readZaakLookupSettings({ ZAAK_LOOKUP_PER_MINUTE: '0' })).toEqual({ ok: false, error: expect.stringContaining('ZAAK_LOOKUP_PER_MINUTE') as string });
  });
});

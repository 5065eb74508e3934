// The device's side of the zaak look-up, pure: the bounded cache of answers (X8), the verdict on
// the typed zaak and the checklist's flags (X9, X10), and the words for a look-up that failed (X11).
import { describe, expect, it } from 'vitest';
import type { ZaakSummary } from '../../../shared/protocol/zaken';
import {
  cachedZaak,
  emptyZaakCache,
  MAX_CACHED_ZAKEN,
  parseZaakCache,
  rememberAnswer,
  rememberAvailability,
  searchCache,
  shouldAsk,
  AVAILABILITY_TTL_MS,
} from '../../../client/app/logic/zaak-cache';
import { zaakChecklistProblems, zaakStatusText, zaakVerdict } from '../../../client/app/logic/zaak-verdict';
import { problemOf, ZAAK_LOOKUP_MESSAGES } from '../../../client/app/zaken/zaak-client';

const zaak = (identificatie: string, extra: Partial<ZaakSummary> = {}): ZaakSummary => ({
  identificatie,
  omschrijving: `Omschrijving ${identificatie}`,
  status: 'open',
  statusName: 'In behandeling',
  einddatum: null,
  zaaktype: 'Melding',
  ...extra,
});

describe('zaak cache on the device', () => {
  it('[X8] keeps the newest answers first and never more than its bound', () => {
    let cache = emptyZaakCache();
    for (let i = 0; i < MAX_CACHED_ZAKEN + 20; i += 1) cache = rememberAnswer(cache, `Z-${i}`, [zaak(`Z-${i}`)], 1_000 + i);
    expect(cache.zaken).toHaveLength(MAX_CACHED_ZAKEN);
    expect(cache.zaken[0]?.zaak.identificatie).toBe(`Z-${MAX_CACHED_ZAKEN + 19}`);
    expect(cachedZaak(cache, 'Z-0')).toBeNull();
    // A newer answer about a zaak replaces the older one (closed since).
    cache = rememberAnswer(cache, 'Z-69', [zaak('Z-69', { status: 'closed', einddatum: '2026-11-02' })], 9_999);
    expect(cache.zaken.filter((c) => c.zaak.identificatie === 'Z-69')).toHaveLength(1);
    expect(cachedZaak(cache, 'Z-69')).toMatchObject({ at: 9_999, zaak: { status: 'closed' } });
  });

  it('[X8] survives a round trip through JSON and drops what does not parse', () => {
    const cache = rememberAnswer(emptyZaakCache(), 'ZAAK-1', [zaak('ZAAK-1')], 5);
    expect(parseZaakCache(JSON.parse(JSON.stringify(cache)))).toEqual(cache);
    const damaged = parseZaakCache({ available: 'ja', zaken: [{ zaak: { identificatie: '' }, at: 1 }, { zaak: zaak('OK-1'), at: 2 }, null, 'x'], missing: [{ identificatie: 3 }] });
    expect(damaged).toEqual({ available: null, availableAt: 0, zaken: [{ zaak: zaak('OK-1'), at: 2 }], missing: [] });
    expect(parseZaakCache(undefined)).toEqual(emptyZaakCache());
  });

  it('[X8] offline suggestions match identificatie or omschrijving, ignoring case and accents', () => {
    const cache = rememberAnswer(emptyZaakCache(), 'x', [zaak('ZAAK-2026-0042', { omschrijving: 'Verbouwing schuur Molenweg' }), zaak('ZAAK-2026-0420', { omschrijving: 'Café Één' })], 1);
    expect(searchCache(cache, '0042').map((c) => c.zaak.identificatie)).toEqual(['ZAAK-2026-0042']);
    expect(searchCache(cache, 'molenWEG').map((c) => c.zaak.identificatie)).toEqual(['ZAAK-2026-0042']);
    expect(searchCache(cache, 'cafe een').map((c) => c.zaak.identificatie)).toEqual(['ZAAK-2026-0420']);
    expect(searchCache(cache, '   ')).toEqual([]);
  });

  it('[X1] a server without a look-up is asked again only after an hour', () => {
    const off = rememberAvailability(emptyZaakCache(), false, 1_000);
    expect(shouldAsk(off, 1_000 + AVAILABILITY_TTL_MS - 1)).toBe(false);
    expect(shouldAsk(off, 1_000 + AVAILABILITY_TTL_MS)).toBe(true);
    expect(shouldAsk(emptyZaakCache(), 0)).toBe(true);
  });
});

describe('zaak verdict and checklist', () => {
  it('[X9] says open, closed, unknown or unchecked for the typed identificatie', () => {
    let cache = rememberAnswer(emptyZaakCache(), 'ZAAK-1', [zaak('ZAAK-1'), zaak('ZAAK-2', { status: 'closed', einddatum: '2026-11-02' })], 10);
    expect(zaakVerdict('  ZAAK-1 ', cache)).toMatchObject({ kind: 'open', zaak: { identificatie: 'ZAAK-1' } });
    expect(zaakVerdict('ZAAK-2', cache)).toMatchObject({ kind: 'closed' });
    expect(zaakVerdict('ZAAK-3', cache)).toEqual({ kind: 'unchecked' });
    expect(zaakVerdict('', cache)).toEqual({ kind: 'empty' });
    cache = rememberAnswer(cache, 'ZAAK-3', [], 20);
    expect(zaakVerdict('ZAAK-3', cache)).toEqual({ kind: 'unknown', at: 20 });
    // Words are no identificatie: an empty answer to them marks nothing unknown.
    expect(rememberAnswer(cache, 'schuur molenweg', [], 30).missing.map((m) => m.identificatie)).toEqual(['ZAAK-3']);
    // Found later (created meanwhile): the newer answer counts.
    cache = rememberAnswer(cache, 'ZAAK', [zaak('ZAAK-3')], 40);
    expect(zaakVerdict('ZAAK-3', cache)).toMatchObject({ kind: 'open' });
    expect(zaakVerdict('ZAAK-1', rememberAvailability(cache, false, 50))).toEqual({ kind: 'free-text' });
  });

  it('[X9] the status line names the status, or since when the zaak is closed', () => {
    expect(zaakStatusText(zaak('A'))).toBe('Open · In behandeling');
    expect(zaakStatusText(zaak('A', { statusName: null }))).toBe('Open');
    expect(zaakStatusText(zaak('A', { status: 'closed', einddatum: '2026-11-02' }))).toBe('Afgesloten sinds 2 november 2026');
  });

  it('[X10] an unknown or closed zaak is flagged in the checklist; open, unchecked and free text are not', () => {
    const closed = zaakChecklistProblems({ kind: 'closed', zaak: zaak('ZAAK-2', { status: 'closed', einddatum: '2026-11-02' }), at: 1 }, 'zaaknummer', 'ZAAK-2');
    expect(closed).toEqual([{ section: 'zaaknummer', rule: 'zaak-closed', severity: 'error', message: 'Zaak ZAAK-2 is afgesloten (sinds 2 november 2026). Kies een open zaak.' }]);
    expect(zaakChecklistProblems({ kind: 'unknown', at: 1 }, 'zaaknummer', 'ZAAK-9')).toEqual([
      { section: 'zaaknummer', rule: 'zaak-unknown', severity: 'error', message: 'Zaak ZAAK-9 is niet gevonden in het zaaksysteem. Controleer het zaaknummer.' },
    ]);
    for (const verdict of [{ kind: 'open', zaak: zaak('A'), at: 1 }, { kind: 'unchecked' }, { kind: 'free-text' }, { kind: 'empty' }] as const) {
      expect(zaakChecklistProblems(verdict, 'zaaknummer', 'A')).toEqual([]);
    }
  });
});

describe('a look-up without an answer', () => {
  it('[X11] every failure the server names has its own Dutch words, and the zaaknummer stays', () => {
    expect(problemOf(504, 'zaak-lookup-timeout')).toBe('timeout');
    expect(problemOf(502, 'zaak-lookup-unreachable')).toBe('unreachable');
    expect(problemOf(502, 'zaak-lookup-bad-answer')).toBe('bad-answer');
    expect(problemOf(502, 'zaak-lookup-refused')).toBe('refused');
    expect(problemOf(429, 'rate-limited')).toBe('rate-limited');
    expect(problemOf(401, 'token-expired')).toBe('signed-out');
    expect(problemOf(500, '')).toBe('server-error');
    for (const message of Object.values(ZAAK_LOOKUP_MESSAGES)) expect(message).toMatch(/^[A-Z].*\.$/);
    expect(ZAAK_LOOKUP_MESSAGES.timeout).toContain('zaaknummer blijft staan');
  });
});

// X9, X10: what the device can say about the zaak typed in the zaak field, from the look-up's
// answers (live or remembered, zaak-cache.ts): open, closed, unknown to the DMS, not checked yet,
// or nothing at all because this server has no look-up (the field is free text). Pure; the
// checklist's problems and the field's status line are derived from it.
import type { ZaakSummary } from '../../../shared/protocol/zaken';
import type { Problem } from '../../../shared/validate/validate-document';
import { dutchDateOf as dutchDay } from '../../../shared/templates/fill';
import { cachedZaak, knownMissing, type ZaakCache } from './zaak-cache';

export type ZaakVerdict =
  | { kind: 'empty' }
  /** This server has no look-up: nothing to check, nothing to flag. */
  | { kind: 'free-text' }
  /** Never looked up on this device (offline, or still asking). */
  | { kind: 'unchecked' }
  | { kind: 'open'; zaak: ZaakSummary; at: number }
  | { kind: 'closed'; zaak: ZaakSummary; at: number }
  | { kind: 'unknown'; at: number };

export function zaakVerdict(typed: string, cache: ZaakCache): ZaakVerdict {
  const identificatie = typed.trim();
  if (identificatie === '') return { kind: 'empty' };
  if (cache.available === false) return { kind: 'free-text' };
  const known = cachedZaak(cache, identificatie);
  const missing = knownMissing(cache, identificatie);
  // The newer of the two answers counts: a zaak created after a "not found" is found later.
  if (known !== null && (missing === null || known.at >= missing.at)) return { kind: known.zaak.status, zaak: known.zaak, at: known.at };
  if (missing !== null) return { kind: 'unknown', at: missing.at };
  return { kind: 'unchecked' };
}

/** The status line under the field: "Open · In behandeling", "Afgesloten sinds 2 november 2026". */
export function zaakStatusText(zaak: ZaakSummary): string {
  if (zaak.status === 'closed') return `Afgesloten${zaak.einddatum === null ? '' : ` sinds ${dutchDay(zaak.einddatum)}`}`;
  return zaak.statusName === null ? 'Open' : `Open · ${zaak.statusName}`;
}

/** X10: an unknown or closed zaak in the checklist, before submit (the server refuses it too, X7). */
export function zaakChecklistProblems(verdict: ZaakVerdict, section: string, typed: string): Problem[] {
  const identificatie = typed.trim();
  if (verdict.kind === 'closed') {
    return [
      {
        section,
        rule: 'zaak-closed',
        severity: 'error',
        message: `Zaak ${identificatie} is afgesloten${verdict.zaak.einddatum === null ? '' : ` (sinds ${dutchDay(verdict.zaak.einddatum)})`}. Kies een open zaak.`,
      },
    ];
  }
  if (verdict.kind === 'unknown') {
    return [{ section, rule: 'zaak-unknown', severity: 'error', message: `Zaak ${identificatie} is niet gevonden in het zaaksysteem. Controleer het zaaknummer.` }];
  }
  return [];
}

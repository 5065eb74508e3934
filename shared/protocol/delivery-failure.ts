// Z1–Z4: why a delivery to the DMS failed, as one typed union instead of strings scattered over
// the adapters. Each reason has a Dutch message for the back office saying what is wrong and what
// to do, and may carry the DMS's own answer under `details` (its error body, verbatim, trimmed).
// Stored in the outbox row's `lastError` as `<code>: <message>` with the details after a marker
// line, so the kebab-case prefix every reader keys on (outage detection, metrics labels) stays as
// it was and rows written before this read as before (`describeLastError`).

/** One reason a delivery failed. `details`: what the DMS itself answered, for the specialist. */
export type DeliveryFailure = (
  | { code: 'dms-timeout' }
  | { code: 'dms-unreachable'; cause: string }
  | { code: 'dms-server-error'; status: number }
  | { code: 'dms-rate-limited' }
  | { code: 'dms-bad-answer'; what: string }
  | { code: 'dms-not-authorised'; status: number; request: string }
  | { code: 'dms-refused'; status: number; fields: string }
  | { code: 'dms-zaak-unknown'; zaak: string; bronorganisatie: string }
  | { code: 'dms-zaak-closed'; zaak: string; einddatum: string }
  | { code: 'dms-type-not-allowed'; zaak: string; zaaktype: string; informatieobjecttype: string }
  | { code: 'dms-zaak-forbidden'; zaak: string; status: number }
  | { code: 'dms-locked'; by: 'colleague' | 'unknown-own-lock'; document: string; status?: number }
  | { code: 'duplicate-identificatie'; identificatie: string; theirSha256?: string; where: string }
  | { code: 'dms-write-failed'; cause: string }
  | { code: 'dms-unreadable'; cause: string }
  | { code: 'dms-folder-incomplete'; folder: string }
  | { code: 'dms-checksum-mismatch'; written: string; submitted: string }
  // F42: an attachment's bytes (loaded from the attachment store) are not the ones frozen at submit.
  | { code: 'dms-attachment-mismatch'; name: string; identificatie: string }
  | { code: 'unsafe-path'; zaak: string }
  // ---- Z27: the besluittype of a decision, checked before anything is created ----
  | { code: 'dms-besluittype-unknown'; besluittype: string }
  | { code: 'dms-besluittype-concept'; besluittype: string; name: string }
  | { code: 'dms-besluittype-expired'; besluittype: string; name: string; einde: string }
  | { code: 'dms-besluittype-not-allowed'; besluittype: string; name: string; zaak: string; zaaktype: string }
  | { code: 'dms-besluittype-document-not-allowed'; besluittype: string; name: string; informatieobjecttype: string }
  | { code: 'dms-besluittype-missing'; zaak: string; zaaktype: string | null }
) & { details?: string };

export type DeliveryFailureCode = DeliveryFailure['code'];

const RETRY = 'kies daarna "Opnieuw proberen"';
const NOTHING_FILED = 'Er is niets gearchiveerd.';

/** The Dutch message: what is wrong, then what to do. Always ends with a full stop. */
export function failureMessage(f: DeliveryFailure): string {
  switch (f.code) {
    case 'dms-timeout':
      return 'Het DMS antwoordde niet op tijd. Er wordt vanzelf opnieuw geprobeerd; eerst wordt gecontroleerd of het document er al staat, zodat het nooit dubbel komt.';
    case 'dms-unreachable':
      return `Het DMS is niet bereikbaar (${f.cause}). Er wordt vanzelf opnieuw geprobeerd; duurt het lang, laat dan controleren of het DMS werkt en vanaf de server bereikbaar is.`;
    case 'dms-server-error':
      return `Het DMS had een storing (HTTP ${f.status}). Er wordt vanzelf opnieuw geprobeerd; duurt het lang, meld het bij de beheerder van het DMS.`;
    case 'dms-rate-limited':
      return 'Het DMS vraagt om het later opnieuw te proberen (te veel verzoeken). Er wordt vanzelf opnieuw geprobeerd.';
    case 'dms-bad-answer':
      return `Het DMS gaf een onverwacht antwoord (${f.what}). Er wordt vanzelf opnieuw geprobeerd; blijft het, meld het bij de beheerder van het DMS.`;
    case 'dms-not-authorised':
      return `Het DMS weigert Keukentafel de toegang (${f.request}, HTTP ${f.status}): laat de beheerder ZGW_CLIENT_ID, ZGW_SECRET en de autorisaties van de applicatie in het DMS controleren, en ${RETRY}.`;
    case 'dms-refused':
      return `Het DMS weigert het document (HTTP ${f.status}): ${f.fields.replace(/[.\s]+$/, '')}. Laat de oorzaak herstellen in het DMS of in het sjabloon, en ${RETRY}; er komt nooit een tweede exemplaar.`;
    case 'dms-zaak-unknown':
      return `Zaak ${f.zaak} bestaat niet in het DMS (bronorganisatie ${f.bronorganisatie}), of Keukentafel mag die zaak niet zien: maak of corrigeer de zaak in het DMS, of laat de autorisaties (zaaktypen) van de applicatie aanvullen, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-zaak-closed':
      return `Zaak ${f.zaak} is afgesloten: heropen de zaak of kies een andere (einddatum ${f.einddatum}), en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-type-not-allowed':
      return `Het documenttype (informatieobjecttype ${f.informatieobjecttype}) hoort niet bij het zaaktype van zaak ${f.zaak} (${f.zaaktype}): laat het in de Catalogi aan het zaaktype koppelen of kies in het sjabloon een ander type, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-zaak-forbidden':
      return `Keukentafel mag niet schrijven in zaak ${f.zaak} (HTTP ${f.status}): laat de applicatie in het DMS de scope zaken.bijwerken voor het zaaktype van deze zaak geven, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-locked':
      return f.by === 'colleague'
        ? `Het document is in het DMS vergrendeld door iemand anders (${f.document}): de nieuwe versie volgt vanzelf zodra het is vrijgegeven; duurt het lang, vraag in het DMS wie het vergrendelde.`
        : `Het half geleverde document ${f.document} is vergrendeld en kon niet worden ontgrendeld${f.status === undefined ? '' : ` (HTTP ${f.status})`}: geef de applicatie de scope documenten.geforceerd-unlock of ontgrendel het in het DMS, en ${RETRY}.`;
    case 'duplicate-identificatie': {
      const theirs = f.theirSha256 === undefined || f.theirSha256 === '' ? 'onbekende inhoud' : `SHA-256 ${f.theirSha256.slice(0, 12)}…`;
      return `${f.where} staat al een ander document met identificatie ${f.identificatie} (${theirs}). Dit document is niet gearchiveerd en er is niets overschreven. Vraag de beheerder van het DMS wat dat andere document is, en ${RETRY}.`;
    }
    case 'dms-write-failed':
      return `Het document kon niet in de DMS-map worden geschreven (${f.cause}). Er wordt vanzelf opnieuw geprobeerd; blijft het, laat de vrije ruimte en de rechten van DMS_DIR controleren.`;
    case 'dms-unreadable':
      return `De DMS-map kon niet worden gelezen (${f.cause}): laat de rechten van DMS_DIR controleren, en ${RETRY}.`;
    case 'dms-folder-incomplete':
      return `In de DMS-map staat onder dit kenmerk een onvolledige eerdere levering (${f.folder}): laat die map verwijderen, en ${RETRY}.`;
    case 'dms-checksum-mismatch':
      return `De geschreven PDF klopt niet met de ingediende versie (SHA-256 ${f.written.slice(0, 12)}… in plaats van ${f.submitted.slice(0, 12)}…): laat de beheerder van Keukentafel uitzoeken hoe dat kan, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-attachment-mismatch':
      return `De bijlage "${f.name}" (${f.identificatie}) klopt niet met de ingediende versie (andere inhoud of grootte): laat de beheerder van Keukentafel uitzoeken hoe dat kan, en ${RETRY}. ${NOTHING_FILED}`;
    case 'unsafe-path':
      return `Het zaaknummer ${f.zaak} is niet bruikbaar als mapnaam in het DMS: laat de beheerder de levering afhandelen. ${NOTHING_FILED}`;
    case 'dms-besluittype-unknown':
      return `Het besluittype ${f.besluittype} bestaat niet in de Catalogi API: laat de beheerder in het sjabloon (dms.zgw.besluittype) of in ZGW_BESLUITTYPE een bestaand besluittype kiezen, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-besluittype-concept':
      return `Het besluittype "${f.name}" (${f.besluittype}) is nog niet gepubliceerd: laat het in de Catalogi API publiceren, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-besluittype-expired':
      return `Het besluittype "${f.name}" (${f.besluittype}) is niet meer geldig sinds ${f.einde}: laat de beheerder in het sjabloon een geldig besluittype kiezen, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-besluittype-not-allowed':
      return `Het zaaktype van zaak ${f.zaak} (${f.zaaktype}) staat besluittype "${f.name}" niet toe: laat het besluittype in de Catalogi aan het zaaktype koppelen of kies een andere zaak, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-besluittype-document-not-allowed':
      return `Besluittype "${f.name}" staat het documenttype ${f.informatieobjecttype} niet toe: laat het documenttype in de Catalogi aan het besluittype koppelen of kies in het sjabloon een ander type, en ${RETRY}. ${NOTHING_FILED}`;
    case 'dms-besluittype-missing':
      return `Het sjabloon noemt geen besluittype voor het zaaktype van zaak ${f.zaak} (${f.zaaktype ?? 'onbekend'}): laat de beheerder dms.zgw.besluittype in het sjabloon aanvullen of ZGW_BESLUITTYPE instellen, en ${RETRY}. ${NOTHING_FILED}`;
  }
}

/** Marks where the DMS's own answer starts in a stored `lastError`. */
export const DETAILS_MARKER = '\n\nAntwoord van het DMS: ';
const MAX_MESSAGE = 900;
const MAX_DETAILS = 1500;

/** The stored form (`lastError`, DeliverResult.reason): `<code>: <message>` and the details. */
export function formatFailure(f: DeliveryFailure): string {
  const message = `${f.code}: ${failureMessage(f)}`.slice(0, MAX_MESSAGE);
  const details = f.details?.trim();
  return details === undefined || details === '' ? message : `${message}${DETAILS_MARKER}${details.slice(0, MAX_DETAILS)}`;
}

/** A stored `lastError` taken apart; `legacy` when it was written before Z1 (no Dutch message). */
export interface DescribedFailure {
  code: string;
  /** The Dutch message (Z1), or for a legacy row whatever followed the code. */
  message: string;
  details: string | null;
  legacy: boolean;
}

const KNOWN: ReadonlySet<string> = new Set<DeliveryFailureCode>([
  'dms-timeout',
  'dms-unreachable',
  'dms-server-error',
  'dms-rate-limited',
  'dms-bad-answer',
  'dms-not-authorised',
  'dms-refused',
  'dms-zaak-unknown',
  'dms-zaak-closed',
  'dms-type-not-allowed',
  'dms-zaak-forbidden',
  'dms-locked',
  'duplicate-identificatie',
  'dms-write-failed',
  'dms-unreadable',
  'dms-folder-incomplete',
  'dms-checksum-mismatch',
  'dms-attachment-mismatch',
  'unsafe-path',
  'dms-besluittype-unknown',
  'dms-besluittype-concept',
  'dms-besluittype-expired',
  'dms-besluittype-not-allowed',
  'dms-besluittype-document-not-allowed',
  'dms-besluittype-missing',
]);

/**
 * Z4: reads a stored `lastError`, new or old. A message of a known code that is a full sentence
 * (ends with a full stop, never starts with an HTTP status) is Z1's; anything else — `dms-timeout`,
 * `dms-server-error: 503`, `dms-refused: 400 Het DMS weigert…`, the worker's `lookup-failed: …` —
 * is legacy and worded by the reader.
 */
export function describeLastError(lastError: string): DescribedFailure {
  const at = lastError.indexOf(DETAILS_MARKER);
  const head = at === -1 ? lastError : lastError.slice(0, at);
  const details = at === -1 ? null : lastError.slice(at + DETAILS_MARKER.length);
  const colon = head.indexOf(':');
  const code = (colon === -1 ? head : head.slice(0, colon)).trim();
  const message = colon === -1 ? '' : head.slice(colon + 1).trim();
  const legacy = !KNOWN.has(code) || !message.endsWith('.') || /^\d{3}\s/.test(message);
  return { code, message, details, legacy };
}

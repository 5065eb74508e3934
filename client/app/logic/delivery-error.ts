// A delivery's `lastError` (kebab-case reason with detail, O3) in Dutch words for the back
// office. Z1: a reason stored with its Dutch message (shared/protocol/delivery-failure.ts) is
// shown as it is, with the DMS's own answer apart (Z2). Z4: rows stored before that are worded
// here, keeping the DMS's Dutch after a 4xx; anything unknown is shown as it came, after a
// general sentence.
import { describeLastError } from '../../../shared/protocol/delivery-failure';

const reasons: Record<string, string> = {
  'dms-unreachable': 'Het DMS is niet bereikbaar.',
  'dms-timeout': 'Het DMS antwoordde niet op tijd.',
  'dms-server-error': 'Het DMS had een storing.',
  'dms-rate-limited': 'Het DMS vroeg om het later opnieuw te proberen (te veel verzoeken).',
  'dms-bad-answer': 'Het DMS gaf een onverwacht antwoord.',
  'dms-refused': 'Het DMS heeft het document geweigerd.',
  'dms-not-authorised': 'Het DMS weigert de toegang.',
  'dms-zaak-unknown': 'De zaak bestaat niet in het DMS.',
  'dms-write-failed': 'Het document kon niet in de DMS-map worden geschreven.',
  'dms-unreadable': 'De DMS-map kon niet worden gelezen.',
  'dms-folder-incomplete': 'In de DMS-map staat een onvolledige eerdere levering.',
  // M6: the bytes to file are not the ones submitted; filing them would archive the wrong letter.
  'dms-checksum-mismatch': 'De PDF klopt niet meer met de ingediende versie (de controlesom verschilt) en is niet gearchiveerd. Meld dit bij de beheerder.',
  'dms-locked': 'Het document is in het DMS vergrendeld.',
  'duplicate-identificatie': 'Het DMS heeft al een ander document met dit kenmerk.',
  'unsafe-path': 'Het zaaknummer is niet bruikbaar als mapnaam in het DMS.',
  'outcome-unknown': 'Het is niet zeker of de vorige poging aankwam; er wordt eerst gecontroleerd of het document al in het DMS staat.',
  'lookup-failed': 'Controleren of het document al in het DMS staat lukte niet.',
  'submission-missing': 'De ingediende versie is niet gevonden op de server.',
};

/** Dutch sentence(s) for a `lastError`; null stays null. */
export function deliveryErrorText(lastError: string | null): string | null {
  return deliveryError(lastError)?.text ?? null;
}

/** Z2: the Dutch message, and what the DMS itself answered (null when nothing or not kept). */
export function deliveryError(lastError: string | null): { text: string; details: string | null } | null {
  if (lastError === null) return null;
  const described = describeLastError(lastError);
  if (!described.legacy) return { text: described.message, details: described.details };
  // The worker's `lookup-failed: <reason>` / `outcome-unknown: <reason>` wrap an adapter's reason (Z1).
  const inner = described.message === '' ? null : describeLastError(described.message);
  if ((described.code === 'lookup-failed' || described.code === 'outcome-unknown') && inner !== null && !inner.legacy) {
    return { text: `${reasons[described.code] ?? ''} ${inner.message}`.trim(), details: described.details };
  }
  return { text: legacyText(lastError), details: described.details };
}

function legacyText(lastError: string): string {
  const colon = lastError.indexOf(':');
  const kind = (colon === -1 ? lastError : lastError.slice(0, colon)).trim();
  const detail = colon === -1 ? '' : lastError.slice(colon + 1).trim();
  const sentence = reasons[kind];
  if (sentence === undefined) return `De levering mislukte (${lastError}).`;
  // ZGW refusals carry the DMS's own Dutch explanation after the status code.
  const dutch = detail.replace(/^\d{3}\s*/, '');
  if ((kind === 'dms-refused' || kind === 'dms-not-authorised' || kind === 'dms-zaak-unknown' || kind === 'dms-locked' || kind === 'duplicate-identificatie') && dutch !== '') return `${sentence} ${dutch}`;
  return sentence;
}

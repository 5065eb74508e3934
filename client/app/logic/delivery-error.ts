// A delivery's `lastError` (kebab-case reason with detail, O3) in Dutch words for the back
// office. Reasons the DMS already worded in Dutch (a 4xx refusal from the ZGW adapter) keep that
// wording; anything unknown is shown as it came, after a general sentence.

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
  'dms-locked': 'Het document is in het DMS vergrendeld.',
  'duplicate-identificatie': 'Het DMS heeft al een ander document met dit kenmerk.',
  'unsafe-path': 'Het zaaknummer is niet bruikbaar als mapnaam in het DMS.',
  'outcome-unknown': 'Het is niet zeker of de vorige poging aankwam; er wordt eerst gecontroleerd of het document al in het DMS staat.',
  'lookup-failed': 'Controleren of het document al in het DMS staat lukte niet.',
  'submission-missing': 'De ingediende versie is niet gevonden op de server.',
  // Z27: the besluittype refused before anything was created; the detail says what to change.
  'dms-besluittype-unknown': 'Het besluittype bestaat niet in het zaaksysteem.',
  'dms-besluittype-concept': 'Het besluittype is nog niet gepubliceerd.',
  'dms-besluittype-expired': 'Het besluittype is niet meer geldig.',
  'dms-besluittype-not-allowed': 'Het zaaktype staat dit besluittype niet toe.',
  'dms-besluittype-document-not-allowed': 'Het besluittype staat dit documenttype niet toe.',
  'dms-besluittype-missing': 'Het sjabloon noemt geen besluittype voor dit zaaktype.',
};

/** Dutch sentence(s) for a `lastError`; null stays null. */
export function deliveryErrorText(lastError: string | null): string | null {
  if (lastError === null) return null;
  const colon = lastError.indexOf(':');
  const kind = (colon === -1 ? lastError : lastError.slice(0, colon)).trim();
  const detail = colon === -1 ? '' : lastError.slice(colon + 1).trim();
  const sentence = reasons[kind];
  if (sentence === undefined) return `De levering mislukte (${lastError}).`;
  // ZGW refusals carry the DMS's own Dutch explanation after the status code.
  const dutch = detail.replace(/^\d{3}\s*/, '');
  // Z27: the besluit refusals are worded in full (what is wrong and what to do).
  if (kind.startsWith('dms-besluittype-') && dutch !== '') return dutch;
  if ((kind === 'dms-refused' || kind === 'dms-not-authorised' || kind === 'dms-zaak-unknown' || kind === 'dms-locked' || kind === 'duplicate-identificatie') && dutch !== '') return `${sentence} ${dutch}`;
  return sentence;
}

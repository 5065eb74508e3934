// N1: the browser's tab title (`document.title`) names the kind of screen only, never what is on
// it. The browser keeps every title in its history (a synced browser sends it to the user's
// private account) and in its session-restore files; a document's title usually holds the
// citizen's name ("Voorschot voor …"). Pure, so the rule is tested without a browser: a screen
// can only pick one of these fixed kinds, not pass text of its own.

export const APP_NAME = 'Keukentafel';

export const PAGE_KINDS = [
  'Aanmelden',
  'Mijn documenten',
  'Nieuw document',
  'Document bewerken',
  'Voorbeeld',
  'Meelezen',
  'Kantoor',
  'Inbox kantoor',
  'Verzending naar het DMS',
  'Beheer: gebruikers',
  'Beheer: nieuwe gebruiker',
  'Beheer: gebruiker',
  'Beheer: teams',
  'Beheer: logboek',
  'Meldingen',
  'Afmelden',
  'Pagina niet gevonden',
  // Drafts (E10, E12)
  'Document niet gevonden',
  'Verwijderde concepten',
] as const;

export type PageKind = (typeof PAGE_KINDS)[number];

/** "Document bewerken — Keukentafel"; a screen that names no kind is just "Keukentafel". */
export function pageTitle(kind: PageKind | undefined): string {
  return kind === undefined || !(PAGE_KINDS as readonly string[]).includes(kind) ? APP_NAME : `${kind} — ${APP_NAME}`;
}

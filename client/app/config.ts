// Build-time configuration of an installation: the municipality's name (VITE_MUNICIPALITY_NAME,
// else the server's MUNICIPALITY_NAME, default "Gemeente Voorbeeld"; see vite.config.ts). Its
// colours are CSS: `--basis-*` overrides in styles/municipality.css, on the theme's element.

export const municipalityName: string = import.meta.env.VITE_MUNICIPALITY_NAME?.trim() || 'Gemeente Voorbeeld';

/** The app and its API share one origin: the server serves dist/ (server/app.ts). */
export const serverUrl = (): string => window.location.origin;

/** B6: the app's version (package.json at build time), reported to the server at sign-in and refresh. */
export const appVersion: string = import.meta.env.VITE_APP_VERSION?.trim() || 'dev';

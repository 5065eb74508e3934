// Types of what Vite injects into the client: `import.meta.env` with the build-time
// configuration (municipality name, theme colour) and the service-worker register module.
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/preact" />

interface ImportMetaEnv {
  /** The municipality's name in the header, the letterhead and the manifest's description. */
  readonly VITE_MUNICIPALITY_NAME?: string;
  readonly VITE_THEME_COLOR?: string;
  /** B6: package.json's version, set by vite.config.ts. */
  readonly VITE_APP_VERSION?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

// Types of build-stamp.mjs (plain JavaScript so that it runs before anything is built).
export declare const BUILD_COMMAND: string;
export declare const STAMP_FILE: string;
export declare const SERVER_ENTRY: string;
export declare const SOURCES: readonly string[];
export declare const BUILD_SETTINGS: readonly string[];
export declare function buildSettings(env: Record<string, string | undefined>): Record<string, string | null>;
export declare function packageVersion(root: string): string;
export declare function currentCommit(root: string): string | null;
export declare function newestSource(root: string): { path: string; mtimeMs: number } | null;
export declare function checkBuild(root: string, env?: Record<string, string | undefined>): { ok: true } | { ok: false; reason: 'missing' | 'stale'; message: string };

/** Types for bundle-check.js (plain JavaScript: the launcher runs it before tsx is loaded). */
export declare const META_FILE: string;
export declare const ENTRY_FILE: string;
export type BundleState = { kind: 'bundle'; entry: string } | { kind: 'sources'; reason: string };
export declare function bundleState(cliDir: string, env: Record<string, string | undefined>): BundleState;

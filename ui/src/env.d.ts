/** The package version, put in by Vite at build time (vite.config.ts `define`). */
declare const __CONTROL_UI_VERSION__: string;

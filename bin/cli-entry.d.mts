/** The entry script `openclaw` runs: dist/bundle/main.js when current, else dist/cli/main.js. */
export function cliEntry(): string;

// How a config issue reads, apart from config-issues.ts (which finds them with the config
// schema) so that logging the warnings of a cached config does not build the schema.

/** One thing wrong with a config file, as listed in `OC_ERR_CONFIG_INVALID`'s `details.issues`. */
export interface ConfigIssue {
  /** Dotted config path, e.g. `agents.main.threadBound`; "" for the whole file. */
  path: string;
  line: number;
  column: number;
  message: string;
  suggestion?: string;
}

export function formatIssue(filePath: string, issue: ConfigIssue): string {
  const suggestion = issue.suggestion ? ` (did you mean "${issue.suggestion}"?)` : "";
  return `${filePath}:${issue.line}: ${issue.path || "(root)"}: ${issue.message}${suggestion}`;
}

/** One line per ignored OpenClaw setting, as `config validate` prints them and the gateway logs them. */
export function formatWarnings(filePath: string, warnings: readonly ConfigIssue[]): string[] {
  return warnings.map((warning) => `warning: ${formatIssue(filePath, warning)}`);
}

import { type Diagnostic, fail, ok } from "./diagnostic.js";
import type { DoctorFacts } from "./facts.js";

/**
 * The loader's own error says everything (each problem at its file:line, the fix): its first line
 * is the finding, the problems are its details. Every other check that needs the config is skipped.
 */
export function checkConfig(facts: Pick<DoctorFacts, "config" | "configError" | "configPath">): Diagnostic {
  const { config, configError, configPath } = facts;
  if (configError) {
    const [first = configError.message, ...problems] = configError.message.split("\n");
    return fail(
      "config",
      problems.length > 0 ? `config ${configPath}: ${first.replace(/:$/, "")}` : `config: ${first}`,
      configError.hint ?? "fix the file, then run `openclaw config validate`",
      problems.length > 0 ? { details: problems.map((line) => line.trim()) } : {},
    );
  }
  if (config && !config.exists) return ok("config", `config ${configPath} (not found: built-in defaults)`);
  return ok("config", `config ${configPath} is valid`);
}

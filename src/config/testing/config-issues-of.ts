import { OpenClawError } from "../../errors.js";
import type { ConfigIssue } from "../config-issues.js";
import { parseConfigText } from "../load.js";

/** The issues a config text is refused with; a test failure when it loads. */
export function configIssuesOf(text: string, file: string, env?: NodeJS.ProcessEnv): ConfigIssue[] {
  try {
    if (env === undefined) parseConfigText(text, file);
    else parseConfigText(text, file, env);
  } catch (error) {
    if (error instanceof OpenClawError && error.code === "OC_ERR_CONFIG_INVALID")
      return (error.details as { issues: ConfigIssue[] }).issues;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

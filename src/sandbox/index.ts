export { checkBinds } from "./bind-check.js";
export { LABEL_AGENT, LABEL_SANDBOX, SandboxManager } from "./sandbox-manager.js";
export {
  CONTAINER_WORKSPACE,
  DEFAULT_SANDBOX_IMAGE,
  resolveSandboxSettings,
  SANDBOX_IMAGE_REPO,
  type SandboxSettings,
} from "./sandbox-settings.js";

export { checkBinds } from "./bind-check.js";
export { containerName, LABEL_AGENT, LABEL_SANDBOX, SandboxManager } from "./sandbox-manager.js";
export {
  CONTAINER_WORKSPACE,
  DEFAULT_SANDBOX_IMAGE,
  defaultUser as defaultSandboxUser,
  resolveSandboxSettings,
  SANDBOX_IMAGE_REPO,
  type SandboxSettings,
} from "./sandbox-settings.js";

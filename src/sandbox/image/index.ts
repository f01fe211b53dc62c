export {
  type BuildSandboxImageOptions,
  buildSandboxImage,
  DEFAULT_SANDBOX_IMAGE_REPO,
  parseImageTag,
  SANDBOX_IMAGE_LABEL,
  type SandboxImageBuild,
} from "./build-image.js";
export { SANDBOX_USER } from "./root-filesystem.js";

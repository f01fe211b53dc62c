export {
  type BindingExpiry,
  bindingExpiry,
  bindingView,
  formatDuration,
  formatHours,
  isExpired,
  type ThreadBindingView,
} from "./binding-expiry.js";
export {
  DEFAULT_THREAD_BINDING_SETTINGS,
  type ThreadBindingSettings,
  threadBindingSettings,
} from "./binding-settings.js";
export { BindingSweeper, type BindingSweeperOptions } from "./binding-sweeper.js";
export {
  type BindRequest,
  fieldsOf,
  parentAgentOf,
  placeOfMessage,
  ThreadBindings,
  type ThreadBindingsOptions,
  targetOfPlace,
} from "./thread-bindings.js";
export {
  type SpawnCaller,
  type SpawnTarget,
  ThreadSpawner,
  type ThreadSpawnerOptions,
  type ThreadSpawnInput,
  type ThreadSpawnResult,
} from "./thread-spawner.js";
export { TurnConversations } from "./turn-conversations.js";

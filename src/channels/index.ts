/**
 * Messaging channels: the normalized message and the account interface every platform folder
 * implements (`core/channel-account.ts`), access and routing rules, the dispatcher from the
 * durable inbox to a reply, and the service the gateway runs. The core imports no platform.
 */

export type { ChannelApproval, ChannelPairingRequest } from "../storage/channel-pairing-store.js";
export { type AccessDecision, decideAccess } from "./core/access-decision.js";
export type { AccountPolicy, DmPolicy, GroupPolicy, PolicyFields } from "./core/account-policy.js";
export { accountPolicy } from "./core/account-policy.js";
export type { AccountState, AccountStatus } from "./core/account-runner.js";
export { type Binding, type Route, routeMessage } from "./core/agent-routing.js";
export type {
  ChannelAccount,
  ChannelCapabilities,
  ChannelIdentity,
  InboundAttachment,
  InboundMessage,
  InboundSink,
  OutboundTarget,
  Peer,
  PeerKind,
  RoutingContext,
} from "./core/channel-account.js";
export { ChannelSendError, channelAuthError, channelConnectError } from "./core/channel-errors.js";
export {
  type ChannelPlatform,
  type ChannelPlatformContext,
  fingerprintOf,
  type PlatformAccountSpec,
  secretNamesOf,
} from "./core/channel-platform.js";
export {
  type ChannelAccountReport,
  ChannelService,
  type ChannelServiceOptions,
  type ChannelSettings,
} from "./core/channel-service.js";
export { chunkText, utf8Length } from "./core/chunk-text.js";
export type { ChannelTurns, ConversationHooks } from "./core/message-dispatcher.js";

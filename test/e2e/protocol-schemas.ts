import {
  ChannelsPairingApproveResultSchema,
  ChannelsPairingDismissResultSchema,
  ChannelsPairingListResultSchema,
  ChannelsStatusResultSchema,
  ChatEventSchema,
  EventFrameSchema,
  HelloOkSchema,
  ModelsListResultSchema,
  PresenceEntrySchema,
  ResponseFrameSchema,
  SessionRowSchema,
} from "@openclaw/gateway-protocol/schema";
import type { TSchema } from "typebox";
import { Compile } from "typebox/compile";

/**
 * The published protocol's schemas (`@openclaw/gateway-protocol`, the version this gateway pins),
 * compiled once, to check what the gateway sends: each returns the problems, [] when it conforms.
 */
function checker(schema: TSchema) {
  const compiled = Compile(schema);
  return (value: unknown): string[] =>
    compiled.Check(value) ? [] : [...compiled.Errors(value)].map((error) => JSON.stringify(error));
}

export const conformsTo = {
  helloOk: checker(HelloOkSchema),
  responseFrame: checker(ResponseFrameSchema),
  eventFrame: checker(EventFrameSchema),
  chatEvent: checker(ChatEventSchema),
  modelsListResult: checker(ModelsListResultSchema),
  sessionRow: checker(SessionRowSchema),
  presenceEntry: checker(PresenceEntrySchema),
  channelsStatusResult: checker(ChannelsStatusResultSchema),
  channelsPairingListResult: checker(ChannelsPairingListResultSchema),
  channelsPairingApproveResult: checker(ChannelsPairingApproveResultSchema),
  channelsPairingDismissResult: checker(ChannelsPairingDismissResultSchema),
};

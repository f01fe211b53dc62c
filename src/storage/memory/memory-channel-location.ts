import type { ChannelApproval, ChannelPairingRequest } from "../channel-pairing-store.js";
import type { MemoryLocation } from "./memory-location.js";

/**
 * What the channel stores keep on a MemoryLocation, serialized as a database would store it
 * (never by reference: a caller changing an object it was given changes nothing stored).
 */
export interface MemoryChannelState {
  inbox: {
    lastId: number;
    /** By id, in id order: each entry as JSON. */
    entries: Map<number, string>;
    /** (channel, account, message id) as JSON, to its entry's id: the dedupe key. */
    keys: Map<string, number>;
  };
  /** In creation order; codes unique among them. */
  requests: ChannelPairingRequest[];
  /** By (channel, account, sender) as JSON, in first-approval order. */
  approvals: Map<string, ChannelApproval>;
}

// Beside the location rather than in it, so the channel stores need nothing of MemoryLocation.
const states = new WeakMap<MemoryLocation, MemoryChannelState>();

export function channelStateOf(location: MemoryLocation): MemoryChannelState {
  let state = states.get(location);
  if (!state) {
    state = { inbox: { lastId: 0, entries: new Map(), keys: new Map() }, requests: [], approvals: new Map() };
    states.set(location, state);
  }
  return state;
}

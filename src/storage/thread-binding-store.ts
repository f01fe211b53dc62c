/**
 * Thread bindings (OpenClaw's thread-bound sessions): a chat conversation or thread whose
 * messages go to a helper agent's session instead of the agent the routing would pick. One
 * binding per conversation, keyed by where the messages arrive: channel, account, peer, thread.
 */

export interface ThreadBindingPlace {
  channel: string;
  accountId: string;
  peer: { kind: "direct" | "group" | "channel"; id: string };
  /** A forum topic or a platform thread; absent: the conversation itself is bound. */
  threadId?: string;
}

export interface ThreadBinding extends ThreadBindingPlace {
  agentId: string;
  /** The helper's session, where every later message of the conversation goes. */
  sessionKey: string;
  /** The session that spawned it: where messages went before, and go again once unbound. */
  parentSessionKey: string;
  /** `session`: stays bound; `run`: unbound once the spawned task has answered. */
  mode: "session" | "run";
  createdAt: number;
  lastActivityAt: number;
  /** Unbound after this long without a message; 0: never. May be fractional. */
  idleHours: number;
  /** Unbound this long after creation, whatever the activity; 0: never. */
  maxAgeHours: number;
  label?: string;
}

export interface ThreadBindingStore {
  /** Stores the binding, replacing one of the same place. */
  put(binding: ThreadBinding): Promise<void>;
  get(place: ThreadBindingPlace): Promise<ThreadBinding | undefined>;
  /** Moves lastActivityAt; false when the place has no binding. */
  touch(place: ThreadBindingPlace, at: number): Promise<boolean>;
  /** Changes the binding's limits; undefined when the place has no binding. */
  update(
    place: ThreadBindingPlace,
    patch: { idleHours?: number; maxAgeHours?: number },
  ): Promise<ThreadBinding | undefined>;
  /** Removes and returns the binding of the place, if there was one. */
  remove(place: ThreadBindingPlace): Promise<ThreadBinding | undefined>;
  /** Every binding, oldest first. */
  list(): Promise<ThreadBinding[]>;
}

/** One string per place: the thread's absence is the empty string, as the database keys it. */
export function threadBindingKey(place: ThreadBindingPlace): string {
  return JSON.stringify([
    place.channel,
    place.accountId,
    place.peer.kind,
    place.peer.id,
    place.threadId ?? "",
  ]);
}

/** The place of a binding, without the rest. */
export function placeOf(place: ThreadBindingPlace): ThreadBindingPlace {
  return {
    channel: place.channel,
    accountId: place.accountId,
    peer: { kind: place.peer.kind, id: place.peer.id },
    ...(place.threadId !== undefined && place.threadId !== "" ? { threadId: place.threadId } : {}),
  };
}

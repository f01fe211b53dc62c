import type { HostAccess } from "../host-access.js";
import type { ToolContext } from "../tool.js";

export interface RecordedHostCall {
  service: string;
  operation: string;
  input: unknown;
}

/** A HostAccess that records each call and answers with `answer` (or its rejection). */
export function recordingHost(answer: (call: RecordedHostCall) => unknown = () => ({ ok: true })): {
  host: HostAccess;
  calls: RecordedHostCall[];
} {
  const calls: RecordedHostCall[] = [];
  const host: HostAccess = {
    call: async (service, operation, input) => {
      const call = { service, operation, input };
      calls.push(call);
      return answer(call);
    },
  };
  return { host, calls };
}

/** A tool context of agent "main", session "main:test", with `host` when given. */
export function contextWithHost(host?: HostAccess): ToolContext {
  return {
    agentId: "main",
    sessionKey: "main:test",
    signal: new AbortController().signal,
    ...(host ? { host } : {}),
  };
}

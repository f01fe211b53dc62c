import { describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { useGateway } from "./harness.js";

/** The dev model names the agent's tools when asked for one it does not have. */
async function toolsOf(url: string, agentId: string): Promise<string[]> {
  const reply = await chat(url, agentId, "/tool no_such_tool");
  expect(reply.status).toBe(200);
  const listed = /Available tools: (.*)\.$/.exec(reply.text ?? "")?.[1];
  if (listed === undefined) throw new Error(`no tool list in ${reply.text}`);
  return listed.split(", ").sort();
}

describe("OpenClaw's tools.{ profile, allow, deny }", () => {
  const running = useGateway({
    tools: { deny: ["memory_*"] },
    agents: {
      entries: {
        coder: { tools: { profile: "coding", deny: ["exec"] } },
        timekeeper: { tools: { allow: ["current_time", "echo"] } },
        seed: { tools: ["current_time", "memory_search"] },
      },
    },
  });

  it("gives each agent the tools its policy and the global one leave", async () => {
    const { url } = running.gateway;
    expect(await toolsOf(url, "coder")).toEqual([
      "apply_patch",
      "edit",
      "list",
      "process",
      "read",
      "web_fetch",
      "write",
    ]);
    expect(await toolsOf(url, "timekeeper")).toEqual(["current_time", "echo"]);
    // The seed's allow-list keeps its meaning; the global deny still narrows it.
    expect(await toolsOf(url, "seed")).toEqual(["current_time"]);
  });
});

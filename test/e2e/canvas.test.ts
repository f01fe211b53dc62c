import { describe, expect, it } from "vitest";
import { useGateway } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

const GOOD = [
  {
    surfaceUpdate: {
      surfaceId: "s",
      components: [{ id: "t", component: { Text: { text: { literalString: "hello canvas" } } } }],
    },
  },
  { beginRendering: { surfaceId: "s", root: "t" } },
];

describe("session canvas", () => {
  const running = useGateway({ agents: { main: { threadBound: true } } });

  it("refuses an invalid A2UI message with a tool error naming the field, and keeps the canvas", async () => {
    const sessionKey = "agent:main:canvas";
    const { client } = await TestWsClient.connect(running.url);
    const events: unknown[] = [];
    client.socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as { event?: string; payload?: unknown };
      if (frame.event === "canvas") events.push(frame.payload);
    });
    const send = async (content: string) => {
      const response = await fetch(`${running.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-openclaw-session-key": sessionKey },
        body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content }] }),
      });
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      return body.choices[0]?.message.content ?? "";
    };

    const drawn = await send(`/tool canvas ${JSON.stringify({ action: "a2ui", messages: GOOD })}`);
    expect(drawn).toMatch(/^Tool canvas returned: .*"surfaces":\["s"\]/);
    const before = await client.request("canvas.get", { sessionKey });

    const bad = [
      {
        surfaceUpdate: {
          surfaceId: "s",
          components: [{ id: "b", component: { Button: { child: "t", action: { name: 42 } } } }],
        },
      },
    ];
    const refused = await send(`/tool canvas ${JSON.stringify({ action: "a2ui", messages: bad })}`);
    expect(refused).toMatch(
      /^Tool canvas failed: invalid A2UI message: messages\[0\]\.surfaceUpdate\.components\[0\]\.component\.Button\.action\.name/,
    );
    const unknown = await send(
      `/tool canvas ${JSON.stringify({ action: "a2ui", messages: [{ surfaceUpdate: { surfaceId: "s", components: [{ id: "x", component: { Marquee: {} } }] } }] })}`,
    );
    expect(unknown).toMatch(/Marquee: unknown component type/);
    const after = await client.request("canvas.get", { sessionKey });
    expect(after.payload).toEqual(before.payload);
    // Viewers heard of the valid change only.
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ sessionKey, a2ui: GOOD });
    client.close();
  });

  it("presents HTML, resets, and describes itself in a snapshot", async () => {
    const agentReply = async (content: string) => {
      const response = await fetch(`${running.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-openclaw-session-key": "agent:main:html" },
        body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content }] }),
      });
      const body = (await response.json()) as { choices: { message: { content: string } }[] };
      return body.choices[0]?.message.content ?? "";
    };
    expect(await agentReply('/tool canvas {"action":"present","html":"<h1>Report</h1>"}')).toContain(
      '"html":"<h1>Report</h1>"',
    );
    expect(await agentReply('/tool canvas {"action":"snapshot"}')).toContain("<h1>Report</h1>");
    expect(await agentReply('/tool canvas {"action":"reset"}')).toContain('"html":null');
  });
});

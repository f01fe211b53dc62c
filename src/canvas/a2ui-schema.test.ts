import { describe, expect, it } from "vitest";
import { validateA2uiMessages } from "./a2ui-schema.js";

const text = (id: string, value: string) => ({ id, component: { Text: { text: { literalString: value } } } });

describe("validateA2uiMessages", () => {
  it("accepts the four v0.8 message kinds", () => {
    const result = validateA2uiMessages([
      { surfaceUpdate: { surfaceId: "s", components: [text("t", "hi")] } },
      { dataModelUpdate: { surfaceId: "s", contents: [{ key: "name", valueString: "Ada" }] } },
      { beginRendering: { surfaceId: "s", root: "t" } },
      { deleteSurface: { surfaceId: "s" } },
    ]);
    expect(result.ok).toBe(true);
  });

  it.each([
    [[], "messages: expected a non-empty array"],
    [[{}], "messages[0]: each message holds exactly one"],
    [[{ beginRendering: { surfaceId: "s" } }], "messages[0].beginRendering.root"],
    [
      [{ surfaceUpdate: { surfaceId: "s", components: [{ id: "x", component: { Blink: {} } }] } }],
      "Blink: unknown component type",
    ],
    [
      [
        {
          surfaceUpdate: { surfaceId: "s", components: [{ id: "b", component: { Button: { child: "t" } } }] },
        },
      ],
      "messages[0].surfaceUpdate.components[0].component.Button.action",
    ],
    [
      [{ surfaceUpdate: { surfaceId: "s", components: [{ id: "t", component: { Text: { text: {} } } }] } }],
      "component.Text.text: needs literalString",
    ],
    [[{ deleteSurface: { surfaceId: "s" }, beginRendering: { surfaceId: "s", root: "t" } }], "exactly one"],
  ])("refuses %j naming the field", (messages, expected) => {
    const result = validateA2uiMessages(messages);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(expected);
  });
});

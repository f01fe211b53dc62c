import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkSlackMarkdown } from "./chunk-slack-markdown.js";
import { markdownToSlackMrkdwn } from "./markdown-to-slack-mrkdwn.js";

describe("markdownToSlackMrkdwn", () => {
  it.each([
    ["**bold** and __bold__", "*bold* and *bold*"],
    ["*italic* and _italic_", "_italic_ and _italic_"],
    ["***both***", "*_both_*"],
    ["~~gone~~", "~gone~"],
    ["`a < b && c`", "`a &lt; b &amp;&amp; c`"],
    // A code span closes on a backtick run of its own length only (CommonMark, as on Telegram).
    ["``a ` b`` but ``c```", "`a ` b` but ``c```"],
    ["[the docs](https://docs.slack.dev/a_b?x=1&y=2)", "<https://docs.slack.dev/a_b?x=1&amp;y=2|the docs>"],
    ["[x|y](https://e.com/p|q)", "<https://e.com/p%7Cq|x¦y>"],
    ["[click](javascript:alert(1))", "[click](javascript:alert(1))"],
    ["https://x.dev/a_b_c stays", "https://x.dev/a_b_c stays"],
    ["# Title", "*Title*"],
    ["> quoted **text**", "> quoted *text*"],
    ["- one\n- two", "• one\n• two"],
    ["snake_case_name", "snake_case_name"],
    ["unbalanced **bold", "unbalanced **bold"],
    ["<!channel> <@U123> & co", "&lt;!channel&gt; &lt;@U123&gt; &amp; co"],
  ])("%j → %j", (markdown, mrkdwn) => {
    expect(markdownToSlackMrkdwn(markdown)).toBe(mrkdwn);
  });

  it("renders fenced code as a code block, escaped, language dropped", () => {
    expect(markdownToSlackMrkdwn("before\n```ts\nif (a < b) **x**\n```\nafter")).toBe(
      "before\n```\nif (a &lt; b) **x**\n```\nafter",
    );
  });

  it("property: no raw < or > of the input survives outside a link it made", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const rendered = markdownToSlackMrkdwn(text).replace(
          /<https?:\/\/[^|>]+\|[^>]*>|<mailto:[^|>]+\|[^>]*>/g,
          "",
        );
        expect(rendered.replace(/^>/gm, "")).not.toMatch(/[<>]/);
      }),
    );
  });
});

describe("chunkSlackMarkdown", () => {
  it("keeps a short reply whole", () => {
    expect(chunkSlackMarkdown("hello **there**", 4000)).toEqual(["hello **there**"]);
  });

  it("cuts a long reply into pieces whose mrkdwn fits, losing no words", () => {
    const paragraphs = Array.from(
      { length: 30 },
      (_, index) => `Paragraph ${index} & ${"words <here> ".repeat(40)}`,
    );
    const text = paragraphs.join("\n\n");
    const pieces = chunkSlackMarkdown(text, 4000);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) expect(markdownToSlackMrkdwn(piece).length).toBeLessThanOrEqual(4000);
    const squash = (value: string) => value.replace(/\s+/g, " ").trim();
    expect(squash(pieces.join(" "))).toBe(squash(text));
  });

  it("reopens a code block cut in two", () => {
    const code = Array.from({ length: 80 }, (_, index) => `line ${index} of the code`).join("\n");
    const pieces = chunkSlackMarkdown(`\`\`\`\n${code}\n\`\`\``, 500);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      const rendered = markdownToSlackMrkdwn(piece);
      expect(rendered.startsWith("```")).toBe(true);
      expect(rendered.endsWith("```")).toBe(true);
      expect(rendered.length).toBeLessThanOrEqual(500);
    }
  });

  it("property: every piece fits the limit once rendered", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.integer({ min: 64, max: 600 }), (text, limit) => {
        for (const piece of chunkSlackMarkdown(text, limit))
          expect(markdownToSlackMrkdwn(piece).length).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 100 },
    );
  });
});

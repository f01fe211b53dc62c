import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkTelegramMarkdown } from "./chunk-telegram-markdown.js";
import { markdownToTelegramHtml as render } from "./markdown-to-telegram-html.js";
import { checkTelegramHtml } from "./testing/telegram-html-checker.js";

describe("markdownToTelegramHtml", () => {
  it("renders emphasis, strike and code spans", () => {
    expect(render("**bold** and __bold__")).toBe("<b>bold</b> and <b>bold</b>");
    expect(render("*italic* and _italic_")).toBe("<i>italic</i> and <i>italic</i>");
    expect(render("~~gone~~")).toBe("<s>gone</s>");
    expect(render("run `npm <test> & *go*`")).toBe("run <code>npm &lt;test&gt; &amp; *go*</code>");
    expect(render("``a ` b``")).toBe("<code>a ` b</code>");
    expect(render("***both***")).toBe("<b><i>both</i></b>");
    expect(render("**bold `code` bold**")).toBe("<b>bold <code>code</code> bold</b>");
  });

  it("renders fenced code blocks with and without a language", () => {
    expect(render("```ts\nconst a = 1 < 2;\n```")).toBe(
      '<pre><code class="language-ts">const a = 1 &lt; 2;</code></pre>',
    );
    expect(render("```\n**not bold**\n```\nafter")).toBe("<pre>**not bold**</pre>\nafter");
    // A language that does not fit a class name is dropped, not escaped into the attribute.
    expect(render('```x"onclick\ncode\n```')).toBe("<pre>code</pre>");
    // Left open (a chunk cut inside it): runs to the end and is closed.
    expect(render("```py\nprint(1)")).toBe('<pre><code class="language-py">print(1)</code></pre>');
  });

  it("renders http(s) links and leaves other schemes as text", () => {
    expect(render('[docs](https://example.com/a?b=1&c="2")')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=&quot;2&quot;">docs</a>',
    );
    expect(render("[**Wiki**](http://w.org/Foo_(bar)) end")).toBe(
      '<a href="http://w.org/Foo_(bar)"><b>Wiki</b></a> end',
    );
    expect(render("[click](javascript:alert(1))")).toBe("[click](javascript:alert(1))");
    expect(render("[file](file:///etc/passwd)")).toBe("[file](file:///etc/passwd)");
    expect(render("[not a link] (https://x.y)")).toBe("[not a link] (https://x.y)");
    expect(render("see https://x.dev/a_b_c_d and (https://x.dev/_y_)")).toBe(
      "see https://x.dev/a_b_c_d and (https://x.dev/_y_)",
    );
    expect(render("**https://x.dev/p** _https://x.dev_")).toBe("<b>https://x.dev/p</b> <i>https://x.dev</i>");
  });

  it("renders headings as bold and quotes as blockquotes, leaves lists as text", () => {
    expect(render("# Title\n## Sub *it* ##")).toBe("<b>Title</b>\n<b>Sub <i>it</i></b>");
    expect(render("> one\n> **two**\nthree")).toBe("<blockquote>one\n<b>two</b></blockquote>\nthree");
    expect(render(">> deep")).toBe("<blockquote>&gt; deep</blockquote>");
    expect(render("- a\n* b\n1. c")).toBe("- a\n* b\n1. c");
  });

  it("keeps unbalanced and unmatched markers as literal text", () => {
    expect(render("**open")).toBe("**open");
    expect(render("2 * 3 * 4")).toBe("2 * 3 * 4");
    expect(render("snake_case_name and _x")).toBe("snake_case_name and _x");
    expect(render("**x*")).toBe("**x*");
    expect(render("*a **b* c**")).toBe("<i>a **b</i> c**");
    expect(render("`unclosed")).toBe("`unclosed");
    expect(render("~single~ ~~~triple~~~")).toBe("~single~ ~~~triple~~~");
    expect(render("\\*escaped\\*")).toBe("*escaped*");
  });

  it("escapes HTML an agent writes", () => {
    expect(render("<script>alert('x')</script> & <b>")).toBe(
      "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;",
    );
    expect(render("**<i>**")).toBe("<b>&lt;i&gt;</b>");
  });
});

// Letters and every character that means something to the Markdown or the HTML.
const markdownish = fc
  .array(
    fc.constantFrom(..."*_~`[]()<>&#>\n abc".split(""), "**", "```", "https://x.y/", "](", "> ", "# ", "\\"),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

const count = (text: string, character: string) => text.split(character).length - 1;

describe("markdownToTelegramHtml properties", () => {
  it("always produces HTML Telegram accepts, with every < and & of the input escaped", () => {
    fc.assert(
      fc.property(markdownish, (markdown) => {
        const html = render(markdown);
        const check = checkTelegramHtml(html);
        expect(check).toMatchObject({ ok: true });
        // Every `<` left once the tags are removed was escaped: none is raw.
        expect(html.replace(/<\/?[a-z]+(?: [a-z]+="[^"]*")?>/g, "")).not.toMatch(/[<>]/);
        // Nothing is lost either, but for a fence's info string, which is not shown.
        if (check.ok && !markdown.includes("```")) {
          expect(count(check.text, "<")).toBe(count(markdown, "<"));
          const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((match) =>
            match[1]!.replace(/&amp;/g, "&"),
          );
          expect(count(check.text + hrefs.join(""), "&")).toBe(count(markdown, "&"));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("chunks so that every piece renders within the limit and stays valid", () => {
    fc.assert(
      fc.property(markdownish, fc.integer({ min: 60, max: 120 }), (markdown, limit) => {
        const text = markdown.repeat(4);
        for (const piece of chunkTelegramMarkdown(text, limit)) {
          const html = render(piece);
          expect(html.length).toBeLessThanOrEqual(limit);
          expect(checkTelegramHtml(html)).toMatchObject({ ok: true });
        }
      }),
      { numRuns: 300 },
    );
  });
});

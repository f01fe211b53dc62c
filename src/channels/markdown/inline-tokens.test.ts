import { describe, expect, it } from "vitest";
import { type InlineSyntax, tokenizeInline } from "./index.js";

const httpOnly: InlineSyntax = { atoms: true, linkUrl: /^https?:\/\/[^\s/?#]+/i, notInLinkUrl: /[\s<>]/ };

describe("tokenizeInline", () => {
  it("pairs markers on a stack and leaves an unclosed one literal", () => {
    const tokens = tokenizeInline("**a *b** c", httpOnly);
    const roles = tokens.flatMap((token) => (token.kind === "delimiter" ? [token.role ?? "literal"] : []));
    expect(roles).toEqual(["open", "literal", "close"]);
  });

  it("reads code spans and links as single tokens", () => {
    expect(tokenizeInline("`x*y*` [docs](https://d.dev/(a))", httpOnly)).toEqual([
      { kind: "code", content: "x*y*" },
      { kind: "text", value: " " },
      { kind: "link", label: "docs", url: "https://d.dev/(a)" },
    ]);
  });

  it("links only what the platform's syntax allows", () => {
    expect(tokenizeInline("[m](mailto:a@b.c)", httpOnly)).toEqual([
      { kind: "text", value: "[m](mailto:a@b.c)" },
    ]);
    expect(tokenizeInline("[m](mailto:a@b.c)", { ...httpOnly, linkUrl: /^mailto:/ })[0]?.kind).toBe("link");
    expect(tokenizeInline("[x](https://a.b/<c>)", httpOnly)[0]?.kind).toBe("text");
  });

  it("with atoms off, backticks, links and URLs are text but emphasis still pairs", () => {
    const tokens = tokenizeInline("`c` [l](https://a.b) *e*", { ...httpOnly, atoms: false });
    expect(tokens.filter((token) => token.kind === "code" || token.kind === "link")).toEqual([]);
    expect(tokens.filter((token) => token.kind === "delimiter").map((token) => token.role)).toEqual([
      "open",
      "close",
    ]);
  });
});

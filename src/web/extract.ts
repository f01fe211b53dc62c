import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import TurndownService from "turndown";

export interface ExtractedContent {
  title?: string;
  text: string;
  extractor: "readability" | "raw";
}

const turndown = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced" });
// Scripts and styles are not content; a page cannot smuggle them into the model's text.
turndown.remove(["script", "style", "noscript", "iframe"]);

/** HTML → Markdown of the main content (Readability); other text types as they are. */
export function extractContent(body: string, contentType: string): ExtractedContent {
  if (!/html/i.test(contentType) && !/^\s*<(!doctype html|html)/i.test(body)) {
    return { text: body, extractor: "raw" };
  }
  const { document } = parseHTML(body);
  const title = document.title?.trim() || undefined;
  // Readability mutates the document it is given, and linkedom's documents are cheap to make.
  const article = new Readability(
    parseHTML(body).document as unknown as ConstructorParameters<typeof Readability>[0],
  ).parse();
  const html = article?.content ?? document.body?.innerHTML ?? body;
  return {
    title: article?.title?.trim() || title,
    text: turndown.turndown(html).trim(),
    extractor: article ? "readability" : "raw",
  };
}

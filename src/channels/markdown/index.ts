export {
  type CodeToken,
  type DelimiterToken,
  type InlineSyntax,
  type InlineToken,
  type LinkToken,
  type TextToken,
  tokenizeInline,
} from "./inline-tokens.js";

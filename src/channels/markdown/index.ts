export {
  type FencedBlock,
  type FenceOpening,
  fencedBlockAt,
  fenceLine,
  isFenceClosing,
  openFenceAtEnd,
  parseFenceOpening,
} from "./fences.js";
export {
  type CodeToken,
  type DelimiterToken,
  type InlineSyntax,
  type InlineToken,
  type LinkToken,
  type TextToken,
  tokenizeInline,
} from "./inline-tokens.js";

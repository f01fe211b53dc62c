export { markdownToSlackMrkdwn } from "./markdown-to-slack-mrkdwn.js";
export { createSlackAccount, type SlackAccount } from "./slack-account.js";
export type {
  SlackAccountOptions,
  SlackEventsListenerOptions,
  SlackLog,
  SlackLogLevel,
  SlackReplyThreading,
  SlackReplyToMode,
} from "./slack-account-options.js";
export { slackSignature, verifySlackSignature } from "./slack-signature.js";

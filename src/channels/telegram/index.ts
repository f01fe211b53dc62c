export { markdownToTelegramHtml } from "./markdown-to-telegram-html.js";
export { createTelegramAccount, type TelegramAccount } from "./telegram-account.js";
export type {
  TelegramAccountOptions,
  TelegramLog,
  TelegramLogLevel,
  TelegramWebhookOptions,
} from "./telegram-account-options.js";

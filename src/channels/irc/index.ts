export { createIrcAccount } from "./irc-account.js";
export type { IrcAccountOptions, IrcLogLevel } from "./irc-account-options.js";
export { splitIrcMessage } from "./split-irc-message.js";

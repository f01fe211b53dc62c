import type { IrcChannelSchema } from "../../config/index.js";
import { accountPolicy, type PolicyFields } from "../core/account-policy.js";
import { accountLog, credentialOrFile } from "../core/account-settings.js";
import type {
  ChannelPlatform,
  ChannelPlatformContext,
  PlatformAccountSpec,
} from "../core/channel-platform.js";
import { configuredAccounts, secretNamesOf, settingsFingerprint } from "../core/channel-platform.js";
import { createIrcAccount } from "./index.js";

type IrcConfig = import("zod").output<typeof IrcChannelSchema>;
type IrcAccountConfig = NonNullable<IrcConfig["accounts"]>[string];

/**
 * `channels.irc`: the root is the `default` account (when it names a host) and the defaults of
 * `accounts.<id>`. TLS is on unless `tls: false`; the port follows it (6697, else 6667).
 */
export const ircPlatform: ChannelPlatform = {
  id: "irc",
  accounts(config, context) {
    return configuredAccounts<IrcAccountConfig, IrcConfig>(
      config as IrcConfig,
      (root) => root.host !== undefined,
    ).map(({ accountId, root, account }) => accountSpec(accountId, root, account, context));
  },
  target(raw, threadId) {
    const target = raw.replace(/^irc:/i, "").trim();
    return {
      peer: /^[#&]/.test(target) ? { kind: "group", id: target } : { kind: "direct", id: target },
      ...(threadId !== undefined ? { threadId } : {}),
    };
  },
};

function accountSpec(
  accountId: string,
  root: IrcAccountConfig,
  account: IrcAccountConfig | undefined,
  context: ChannelPlatformContext,
): PlatformAccountSpec {
  const settings = { ...root, ...account };
  const path = account ? `channels.irc.accounts.${accountId}` : "channels.irc";
  const tls = settings.tls ?? true;
  return {
    accountId,
    policy: accountPolicy(root as PolicyFields, account as PolicyFields | undefined),
    preview: false,
    fingerprint: settingsFingerprint(settings, ["password", "nickserv.password", "sasl.password"]),
    secrets: secretNamesOf(settings.password, settings.nickserv?.password, settings.sasl?.password),
    create() {
      if (settings.host === undefined) throw new Error(`${path} has no host`);
      const serverPassword = credentialOrFile(
        context,
        settings.password,
        settings.passwordFile,
        `${path}.password`,
      );
      const nickservPassword = credentialOrFile(
        context,
        settings.nickserv?.password,
        settings.nickserv?.passwordFile,
        `${path}.nickserv.password`,
      );
      const saslPassword = settings.sasl
        ? context.credential(settings.sasl.password, `${path}.sasl.password`)
        : undefined;
      return createIrcAccount({
        accountId,
        host: settings.host,
        port: settings.port ?? (tls ? 6697 : 6667),
        tls,
        nick: settings.nick ?? "openclaw",
        ...(settings.username !== undefined ? { username: settings.username } : {}),
        ...(settings.realname !== undefined ? { realname: settings.realname } : {}),
        ...(serverPassword !== undefined ? { serverPassword } : {}),
        ...(nickservPassword !== undefined ? { nickservPassword } : {}),
        ...(settings.sasl && saslPassword !== undefined
          ? { sasl: { account: settings.sasl.account, password: saslPassword } }
          : {}),
        channels: settings.channels ?? [],
        log: accountLog(context, "irc", accountId),
      });
    },
  };
}

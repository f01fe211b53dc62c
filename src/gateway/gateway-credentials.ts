import { dirname } from "node:path";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { CredentialReader } from "../models/index.js";
import {
  ambiguousNameBindings,
  CredentialBroker,
  findPlaintextCredentials,
  listSecrets,
  type Redactor,
  type ReloadReport,
  resolveBindings,
  type SecretListing,
  SecretStore,
} from "../secrets/index.js";

const AUTH_FIELDS = ["token", "password"] as const;

/**
 * The gateway's credentials: the external-secret store, the broker that swaps placeholders on
 * egress, and the rules about where credentials may come from (no plaintext in production, a
 * gateway-auth secret that must exist). Values never leave this object except through the
 * broker's egress fetch and `authCredential`, which the auth layer compares against.
 */
export class GatewayCredentials {
  readonly store: SecretStore;
  readonly broker: CredentialBroker;
  private config: OpenClawConfig | undefined;
  private readonly warnedPlaintext = new Set<string>();

  constructor(
    private readonly logger: Logger,
    readonly redactor: Redactor,
    configPath: string,
  ) {
    this.store = new SecretStore({ logger, redactor, configDir: dirname(configPath) });
    this.broker = new CredentialBroker(this.store, redactor, logger);
  }

  /**
   * Checks a (new) config's credentials and loads its secrets. Throws, leaving the running
   * config in place, when the config may not run: plaintext credentials in production mode, or
   * a gateway-auth secret without a value (nobody could log in). A missing provider key only
   * degrades the agents that need it, later, through `readCredential`.
   */
  async apply(config: OpenClawConfig): Promise<void> {
    const plaintext = findPlaintextCredentials(config);
    if (config.gateway.mode === "production" && plaintext.length > 0) {
      throw new OpenClawError(
        "OC_ERR_CONFIG_INVALID",
        `gateway.mode is "production" and openclaw.json holds plaintext credentials at: ${plaintext.join(", ")}`,
        {
          hint:
            'move each value out of the file: declare it under externalSecrets (e.g. "my-key": ' +
            '{ "source": "file", "path": "/etc/openclaw/secrets/my.key" }) and put { "$secret": "my-key" } ' +
            "in its place; `openclaw secrets audit` lists every occurrence",
          details: { paths: plaintext },
        },
      );
    }
    // edit.ts builds the config schema: imported only for a config that has plaintext credentials.
    const edit = plaintext.length > 0 ? await import("../config/edit.js") : undefined;
    for (const path of plaintext) {
      const value = edit?.getConfigValue(config, path);
      if (typeof value === "string") this.redactor.add(value);
      if (this.warnedPlaintext.has(path)) continue;
      this.warnedPlaintext.add(path);
      this.logger.warn(
        { path, fix: 'declare it in externalSecrets and reference it with { "$secret": "<name>" }' },
        "plaintext credential in openclaw.json (refused when gateway.mode is production)",
      );
    }
    for (const ambiguous of ambiguousNameBindings(config)) {
      this.logger.warn(
        { provider: ambiguous.provider, secrets: ambiguous.secrets, path: ambiguous.path },
        "several secrets are named for this provider, so none is bound by name; reference one explicitly",
      );
    }

    await this.store.load(config.externalSecrets);
    for (const field of AUTH_FIELDS) {
      const credential = config.gateway.auth?.[field];
      if (typeof credential !== "object") continue;
      const status = this.store.status(credential.$secret);
      if (!this.store.has(credential.$secret)) {
        throw new OpenClawError(
          "OC_ERR_SECRET_UNAVAILABLE",
          `gateway.auth.${field} needs secret "${credential.$secret}", which has no value` +
            (status?.error ? `: ${status.error}` : ""),
          {
            hint: status?.hint ?? "fix the secret's source (see `openclaw secrets check`), then start again",
          },
        );
      }
    }
    this.config = config;
  }

  /** The value of `gateway.auth.token` or `.password`, for the auth layer's comparison. */
  authCredential(field: (typeof AUTH_FIELDS)[number]): string | undefined {
    const credential = this.config?.gateway.auth?.[field];
    if (credential === undefined) return undefined;
    return typeof credential === "string" ? credential : this.store.get(credential.$secret);
  }

  /** See models' CredentialReader: an opaque placeholder for each provider credential. */
  readonly readCredential: CredentialReader = ({ path, credential, origin }) => {
    let source = credential;
    let boundByName = false;
    if (source === undefined) {
      const byName = this.config
        ? resolveBindings(this.config).find((binding) => binding.reason === "name" && binding.path === path)
        : undefined;
      if (!byName) return undefined;
      source = { $secret: byName.secret };
      boundByName = true;
    }
    if (typeof source === "string")
      return this.broker.placeholderFor({ kind: "inline", value: source }, origin, path);
    const name = source.$secret;
    if (!this.store.has(name)) {
      const status = this.store.status(name);
      throw new OpenClawError(
        "OC_ERR_SECRET_UNAVAILABLE",
        `${path} needs secret "${name}", which has no value${status?.error ? `: ${status.error}` : ""}`,
        { hint: status?.hint ?? `declare externalSecrets.${name}` },
      );
    }
    const placeholder = this.broker.placeholderFor({ kind: "secret", name }, origin, path);
    // Bound by its name only: say which secret that was, since the config does not.
    return boundByName ? { placeholder, source: `secret "${name}", bound by its name` } : placeholder;
  };

  list(): SecretListing[] {
    return listSecrets(this.store.list(), this.config);
  }

  reload(names?: readonly string[]): Promise<ReloadReport> {
    return this.store.reload(names);
  }

  onRotate(listener: (name: string) => void): () => void {
    return this.store.onRotate(listener);
  }

  close(): void {
    this.store.close();
  }
}

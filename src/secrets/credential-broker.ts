import { createHash, createHmac, randomBytes } from "node:crypto";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { Redactor } from "./redactor.js";

/** Where a credential's value comes from: a declared external secret, or an inline config string. */
export type CredentialSource = { kind: "secret"; name: string } | { kind: "inline"; value: string };

export interface SecretValues {
  get(name: string): string | undefined;
}

interface Placeholder {
  source: CredentialSource;
  /** The only origin (scheme://host:port) this credential may be sent to. */
  origin: string;
  /** Config path, for messages. */
  path: string;
}

const PREFIX = "oc-cred-";
const PLACEHOLDER = /oc-cred-[0-9a-f]{32}/g;

/**
 * Model providers never see a key outside this class. Agent runtimes get an opaque placeholder in
 * place of each key; their provider requests go through `fetch` here, which swaps a placeholder
 * for the current value only on a request to the origin the credential is bound to. So an agent
 * thread (and any plugin in it) holds nothing worth stealing, a rotated key is used from the next
 * request on without restarting anything, and a key cannot be steered to another host.
 */
export class CredentialBroker {
  /** Per process: placeholders are stable across reloads (so agents are not rebuilt) but not guessable. */
  private readonly key = randomBytes(32);
  private readonly placeholders = new Map<string, Placeholder>();

  constructor(
    private readonly secrets: SecretValues,
    private readonly redactor: Redactor,
    private readonly logger?: Logger,
  ) {}

  placeholderFor(source: CredentialSource, origin: string, path: string): string {
    const identity =
      source.kind === "secret"
        ? `secret:${source.name}`
        : `inline:${createHash("sha256").update(source.value).digest("hex")}`;
    if (source.kind === "inline") this.redactor.add(source.value);
    const placeholder =
      PREFIX + createHmac("sha256", this.key).update(`${identity}|${origin}`).digest("hex").slice(0, 32);
    this.placeholders.set(placeholder, { source, origin, path });
    return placeholder;
  }

  /** The egress fetch: every provider request of every agent goes through it. */
  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const headers = new Headers(init?.headers ?? request?.headers);
    for (const [name, value] of headers) {
      if (value.includes(PREFIX)) {
        headers.set(
          name,
          value.replace(PLACEHOLDER, (placeholder) => this.valueFor(placeholder, url)),
        );
      }
    }
    const body = this.redactBody(init?.body);
    const response = await globalThis.fetch(request ?? url, {
      ...init,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    if (response.ok || !response.body) return response;
    // Error bodies sometimes echo the credential back ("invalid x-api-key sk-…"). They are small;
    // read them whole and mask, so the value never reaches the agent's thread or a log.
    const text = this.redactor.redact(await response.text());
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  /**
   * A prompt may carry a value too: a tool that read a key file, a user who pasted one. No
   * registered value leaves in a request body to any provider.
   */
  private redactBody(body: RequestInit["body"]): RequestInit["body"] | undefined {
    if (typeof body === "string") return this.redactor.redact(body);
    if (body instanceof Uint8Array || body instanceof ArrayBuffer) {
      const text = new TextDecoder().decode(body);
      return this.redactor.leaks(text) ? this.redactor.redact(text) : undefined;
    }
    return undefined;
  }

  private valueFor(placeholder: string, url: URL): string {
    const entry = this.placeholders.get(placeholder);
    if (!entry) {
      throw new OpenClawError(
        "OC_ERR_EGRESS_DENIED",
        "a provider request carried an unknown credential placeholder",
        {
          hint: "restart the agent (`openclaw agents restart <id>`); placeholders belong to one gateway process",
        },
      );
    }
    if (url.origin !== entry.origin) {
      this.logger?.warn(
        { credential: entry.path, boundTo: entry.origin, requested: url.origin },
        "egress denied: credential addressed to another host",
      );
      throw new OpenClawError(
        "OC_ERR_EGRESS_DENIED",
        `the credential at ${entry.path} may only be sent to ${entry.origin}, not ${url.origin}`,
        { hint: `set the provider's baseUrl if ${url.origin} is where its API really is` },
      );
    }
    const value = entry.source.kind === "inline" ? entry.source.value : this.secrets.get(entry.source.name);
    if (value === undefined) {
      throw new OpenClawError(
        "OC_ERR_SECRET_UNAVAILABLE",
        `secret "${entry.source.kind === "secret" ? entry.source.name : ""}" for ${entry.path} has no value`,
        { hint: "see `openclaw secrets list`; fix the source, then `openclaw secrets reload`" },
      );
    }
    return value;
  }
}

import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, BrowserType, Page } from "playwright-core";
import { OpenClawError } from "../errors.js";
import { confinedChromium } from "./confined-chromium.js";
import { checkNavigation, type HostLookup, type NavigationPolicy } from "./navigation-policy.js";
import { markUntrusted, snapshotScript } from "./page-snapshot.js";
import { PolicyProxy } from "./policy-proxy.js";

export interface BrowserSettings {
  executablePath: string;
  ssrfPolicy: NavigationPolicy;
  /** A session's context is closed after this long without a browser call. */
  idleMs: number;
  /** Where screenshots are stored: `<stateDir>/attachments/...`. */
  stateDir: string;
  maxSnapshotChars: number;
  /** More paths Chromium must not see (the config file, secret files), besides the state dir. */
  hidden?: readonly string[];
}

interface SessionBrowser {
  context: BrowserContext;
  page: Page;
  /** The reference attribute's name: a nonce the page cannot guess. */
  refAttribute: string;
  idleTimer: NodeJS.Timeout;
  /** Requests refused by the policy since the last call (reported to the model). */
  blocked: string[];
}

// Headless, no GPU, nothing phoning home: the browser only does what the pages ask of it.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // WebRTC's UDP would go around the policy proxy to any address: only proxied traffic is allowed.
  "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
];

/**
 * One Chromium (started on first use) with one isolated context per session: cookies, storage and
 * pages of one session are never seen by another. Every request a page makes goes through the
 * navigation policy.
 */
export class SessionBrowsers {
  private running: Promise<Browser> | undefined;
  private proxy: PolicyProxy | undefined;
  private readonly sessions = new Map<string, Promise<SessionBrowser>>();

  constructor(
    private readonly settings: () => BrowserSettings,
    private readonly lookup?: HostLookup,
    // Loaded on first use: a gateway whose agents never browse does not pay for playwright.
    private readonly browserType: () => Promise<BrowserType> = async () =>
      (await import("playwright-core")).chromium,
  ) {}

  /** How many session contexts are open (status, tests). */
  openCount(): number {
    return this.sessions.size;
  }

  has(key: string): boolean {
    return this.sessions.has(key);
  }

  async open(key: string, url: string) {
    const session = await this.session(key);
    const verdict = await checkNavigation(url, this.settings().ssrfPolicy, this.lookup);
    if (!verdict.allowed) throw blockedError(url, verdict.reason);
    session.blocked = [];
    try {
      await session.page.goto(url, { waitUntil: "load", timeout: 30_000 });
    } catch (error) {
      if (session.blocked.length > 0) throw blockedError(url, session.blocked.join("; "));
      throw new OpenClawError("OC_ERR_BROWSER", `could not open ${url}: ${(error as Error).message}`);
    }
    return this.describe(session);
  }

  async snapshot(key: string) {
    const session = await this.existing(key);
    const result = (await session.page.evaluate(
      snapshotScript(session.refAttribute, this.settings().maxSnapshotChars),
    )) as { text: string; refs: number; truncated: boolean };
    return {
      ...(await this.describe(session)),
      refs: result.refs,
      truncated: result.truncated,
      text: markUntrusted(result.text, session.page.url()),
    };
  }

  async click(key: string, ref: number) {
    const session = await this.existing(key);
    await this.settle(session, () => this.element(session, ref).click({ timeout: 10_000 }));
    return this.describe(session);
  }

  async type(key: string, ref: number, text: string, submit: boolean) {
    const session = await this.existing(key);
    const element = this.element(session, ref);
    await element.fill(text, { timeout: 10_000 });
    if (submit) await this.settle(session, () => element.press("Enter"));
    return this.describe(session);
  }

  async select(key: string, ref: number, value: string) {
    const session = await this.existing(key);
    await this.settle(session, () => this.element(session, ref).selectOption(value, { timeout: 10_000 }));
    return this.describe(session);
  }

  async screenshot(key: string, agentId: string) {
    const session = await this.existing(key);
    const png = await session.page.screenshot({ type: "png" });
    // The session key is the model's and the channel's: only safe characters reach the path.
    const directory = join(this.settings().stateDir, "attachments", safeSegment(agentId), safeSegment(key));
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const path = join(directory, `screenshot-${Date.now()}-${randomBytes(3).toString("hex")}.png`);
    await writeFile(path, png, { mode: 0o600 });
    return {
      ...(await this.describe(session)),
      attachment: { path, mimeType: "image/png", bytes: png.length },
    };
  }

  /** Closes the session's context (its pages, cookies and storage go with it). */
  async close(key: string): Promise<{ closed: boolean }> {
    const pending = this.sessions.get(key);
    if (!pending) return { closed: false };
    this.sessions.delete(key);
    const session = await pending.catch(() => undefined);
    if (!session) return { closed: false };
    clearTimeout(session.idleTimer);
    await session.context.close().catch(() => undefined);
    return { closed: true };
  }

  /** Closes every context and Chromium itself (gateway stop). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((key) => this.close(key)));
    const running = this.running;
    this.running = undefined;
    if (running) await (await running.catch(() => undefined))?.close().catch(() => undefined);
    await this.proxy?.stop();
    this.proxy = undefined;
  }

  private element(session: SessionBrowser, ref: number) {
    if (!Number.isInteger(ref) || ref < 1) {
      throw new OpenClawError("OC_ERR_BROWSER_INPUT", `ref must be a positive integer, not ${ref}`, {
        hint: "take a `snapshot` and use one of its [n] numbers",
      });
    }
    return session.page.locator(`[${session.refAttribute}="${ref}"]`).first();
  }

  /** Runs an action that may navigate, and waits for the page it leads to. */
  private async settle(session: SessionBrowser, action: () => Promise<unknown>) {
    session.blocked = [];
    try {
      await action();
      await session.page.waitForLoadState("load", { timeout: 15_000 });
    } catch (error) {
      throw new OpenClawError("OC_ERR_BROWSER", (error as Error).message.split("\n")[0] ?? "action failed", {
        hint: "take a new `snapshot`: the page may have changed",
      });
    }
  }

  private async describe(session: SessionBrowser) {
    return {
      url: session.page.url(),
      title: markUntrusted(await session.page.title().catch(() => ""), session.page.url()),
      ...(session.blocked.length > 0 ? { blockedRequests: session.blocked.slice(0, 20) } : {}),
    };
  }

  private async existing(key: string): Promise<SessionBrowser> {
    const pending = this.sessions.get(key);
    if (!pending) {
      throw new OpenClawError("OC_ERR_BROWSER_INPUT", "this session has no open page", {
        hint: "call browser with action `open` and a url first",
      });
    }
    const session = await pending;
    this.touch(key, session);
    return session;
  }

  private session(key: string): Promise<SessionBrowser> {
    const pending = this.sessions.get(key);
    if (pending) {
      return pending.then((session) => {
        this.touch(key, session);
        return session;
      });
    }
    const created = this.createSession(key);
    this.sessions.set(key, created);
    created.catch(() => this.sessions.delete(key));
    return created;
  }

  private touch(key: string, session: SessionBrowser) {
    clearTimeout(session.idleTimer);
    session.idleTimer = this.idleTimer(key);
  }

  private idleTimer(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => void this.close(key), this.settings().idleMs);
    timer.unref();
    return timer;
  }

  private async createSession(key: string): Promise<SessionBrowser> {
    const context = await (await this.browser()).newContext({ serviceWorkers: "block" });
    const session: SessionBrowser = {
      context,
      page: await context.newPage(),
      refAttribute: `data-oc-ref-${randomBytes(4).toString("hex")}`,
      idleTimer: this.idleTimer(key),
      blocked: [],
    };
    // Every request (documents, frames, scripts, images, fetch/XHR, redirects' targets) is checked.
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      const verdict = await checkNavigation(url, this.settings().ssrfPolicy, this.lookup);
      if (verdict.allowed) return route.continue();
      session.blocked.push(`${url}: ${verdict.reason}`);
      return route.abort("blockedbyclient");
    });
    // Service workers would fetch outside the route; WebSockets are refused at the context level.
    await context.routeWebSocket("**/*", (socket) => socket.close({ code: 1008, reason: "blocked" }));
    return session;
  }

  private browser(): Promise<Browser> {
    this.running ??= this.launch();
    const launching = this.running;
    launching.catch(() => {
      if (this.running === launching) this.running = undefined;
    });
    return launching;
  }

  private async launch(): Promise<Browser> {
    let confined: Awaited<ReturnType<typeof confinedChromium>> | undefined;
    try {
      // Playwright gives Chromium a fresh profile in the OS temp dir (never the state dir) and
      // removes it when the browser closes; sessions never share it (each has its own context).
      this.proxy ??= new PolicyProxy(() => this.settings().ssrfPolicy, this.lookup);
      const server = await this.proxy.start();
      // Playwright also drops Chromium's implicit loopback bypass, so loopback goes through it too.
      confined = await confinedChromium({
        executablePath: this.settings().executablePath,
        hidden: [this.settings().stateDir, ...(this.settings().hidden ?? [])],
      });
      const browser = await (await this.browserType()).launch({
        executablePath: confined.executablePath,
        args: CHROMIUM_ARGS,
        proxy: { server },
        // The gateway owns its signals (graceful stop); playwright still kills Chromium at exit.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      const launched = confined;
      browser.on("disconnected", () => void launched.release().catch(() => undefined));
      return browser;
    } catch (error) {
      void confined?.release().catch(() => undefined);
      throw new OpenClawError(
        "OC_ERR_BROWSER_LAUNCH",
        `chromium did not start: ${(error as Error).message}`,
        {
          hint: "install chromium (apt-get install chromium) or set tools.browser.executablePath",
        },
      );
    }
  }
}

function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "_";
}

function blockedError(url: string, reason: string): OpenClawError {
  return new OpenClawError("OC_ERR_BROWSER_BLOCKED", `navigation to ${url} was refused: ${reason}`, {
    hint: "only public addresses are reachable; an operator can allow a host in tools.browser.ssrfPolicy.allowedHostnames",
  });
}

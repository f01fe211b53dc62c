/**
 * The gateway token lives in sessionStorage only: it dies with the tab, is never written to
 * localStorage (shared by every tab, kept on disk) and never travels in a URL query (logged by
 * proxies, kept in history, sent as Referer).
 */

const STORAGE_KEY = "openclaw.gatewayToken";

type TokenStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function readToken(storage: TokenStore = sessionStorage): string | undefined {
  return storage.getItem(STORAGE_KEY) || undefined;
}

export function storeToken(token: string, storage: TokenStore = sessionStorage): void {
  storage.setItem(STORAGE_KEY, token);
}

export function forgetToken(storage: TokenStore = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}

/** The token in a `#token=…` fragment (as `openclaw` may print a sign-in link), if any. */
export function tokenFromFragment(hash: string): string | undefined {
  if (!hash.startsWith("#")) return undefined;
  const token = new URLSearchParams(hash.slice(1)).get("token")?.trim();
  return token || undefined;
}

/**
 * Moves a `#token=…` fragment into sessionStorage and wipes it from the address bar at once,
 * so it is neither bookmarked nor left in the tab's history entry.
 */
export function adoptTokenFromFragment(
  location: Pick<Location, "hash" | "pathname" | "search"> = window.location,
  history: Pick<History, "replaceState"> = window.history,
  storage: TokenStore = sessionStorage,
): void {
  if (!location.hash) return;
  const token = tokenFromFragment(location.hash);
  if (token === undefined && !/(^#|&)token=/.test(location.hash)) return;
  if (token) storeToken(token, storage);
  history.replaceState(null, "", `${location.pathname}${location.search}`);
}

export { BROWSER_SERVICE, browserService, contextKey } from "./browser-service.js";
export {
  checkNavigation,
  type HostLookup,
  isRefusedAddress,
  type NavigationPolicy,
  type NavigationVerdict,
} from "./navigation-policy.js";
export { markUntrusted } from "./page-snapshot.js";
export { type BrowserSettings, SessionBrowsers } from "./session-browsers.js";

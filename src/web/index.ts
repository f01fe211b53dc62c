export { privateAddressReason } from "./address-policy.js";
export { type FetchedPage, parseFetchUrl, safeFetch } from "./safe-fetch.js";
export {
  checkHost,
  type HostResolver,
  hostnameAllowed,
  type SsrfPolicy,
  systemResolver,
} from "./ssrf-policy.js";
export { testHostResolver } from "./test-resolver.js";
export { webFetchConfigFor } from "./web-fetch-config.js";
export { WEB_FETCH_DEFAULTS, type WebFetchResult, webFetchService } from "./web-fetch-service.js";

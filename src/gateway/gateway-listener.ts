import { dirname } from "node:path";
import type { Gateway } from "./gateway.js";
import { httpServerDeps } from "./gateway-wiring.js";
import { HttpListener } from "./http-listener.js";
import { loadHttpServer } from "./http-server-loader.js";
import { loadTls, type TlsMaterial } from "./tls.js";

/**
 * The gateway's HTTP + WebSocket listener on `host:port`. Its server is built on first need (the
 * HTTP modules are loaded then); the TLS material it was built with is handed to `onTls`, for the
 * URL and the banner.
 */
export function gatewayListener(
  gateway: Gateway,
  host: string,
  port: number,
  onTls: (tls: TlsMaterial | undefined) => void,
): HttpListener {
  return new HttpListener({
    host,
    port,
    logger: gateway.logger,
    build: async () => {
      const tls = await loadTls(
        gateway.config(),
        gateway.stateDir,
        dirname(gateway.configPath),
        host,
        gateway.logger,
      );
      onTls(tls);
      return (await loadHttpServer()).buildHttpServer(
        httpServerDeps(gateway, {
          runs: gateway.runs,
          broadcast: gateway.broadcast,
          bindHost: host,
          ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
        }),
      );
    },
  });
}

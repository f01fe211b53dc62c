/**
 * Where peers reach this replica: `cluster.advertiseUrl` when set (a pod's address behind a
 * Service), else the listen address. A wildcard bind (0.0.0.0, ::) is no address a peer can
 * dial, so it needs advertiseUrl; loopback stays loopback (replicas on one machine, the tests).
 */
export function internalUrlOf(
  advertiseUrl: string | undefined,
  listen: { host: string; port: number; tls: boolean },
): string {
  if (advertiseUrl) return advertiseUrl.replace(/\/+$/, "");
  const host = listen.host === "0.0.0.0" || listen.host === "::" ? "127.0.0.1" : listen.host;
  const bracketed = host.includes(":") ? `[${host}]` : host;
  return `${listen.tls ? "https" : "http"}://${bracketed}:${listen.port}`;
}

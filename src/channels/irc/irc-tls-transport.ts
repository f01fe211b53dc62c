import { createRequire } from "node:module";
import { isIP } from "node:net";
import { connect as connectTls, type TLSSocket } from "node:tls";

/** What the subclass touches of irc-framework's TCP/TLS transport (`src/transports/net.js`, 4.x). */
interface NetTransport {
  options: { host: string; port: number; tls?: boolean; rejectUnauthorized?: boolean; ca?: string };
  socket: TLSSocket | null;
  state: number;
  requested_disconnect: boolean;
  incoming_buffer: Buffer;
  connect(): void;
  disposeSocket(): void;
  setEncoding(encoding: string): boolean;
  _onSocketCreate(options: NetTransport["options"], socket: TLSSocket): void;
}

type NetTransportClass = new (options: NetTransport["options"]) => NetTransport;

/** `net.js`'s SOCK_CONNECTING: `close()` destroys the socket rather than waiting on it. */
const SOCK_CONNECTING = 1;

const require = createRequire(import.meta.url);
let transport: NetTransportClass | undefined;

/**
 * irc-framework builds its own `tls.connect` options and has no CA among them, so a server with
 * a private CA or a self-signed certificate could only be reached with verification off. This
 * transport opens that TLS socket itself, with `ca`, and hands it to the library's socket wiring:
 * line framing, encoding and close stay the library's. It leans on the transport's internals,
 * so the TLS tests against ngircd are what tells an irc-framework upgrade broke it.
 */
export function ircTlsTransport(): NetTransportClass {
  if (transport) return transport;
  const NetTransportBase = require("irc-framework/src/transports/net") as NetTransportClass;
  transport = class IrcTlsTransport extends NetTransportBase {
    override connect(): void {
      const options = this.options;
      if (!options.tls || options.ca === undefined) {
        super.connect();
        return;
      }
      this.disposeSocket();
      this.requested_disconnect = false;
      this.incoming_buffer = Buffer.alloc(0);
      this.setEncoding("utf8");
      this.state = SOCK_CONNECTING;
      this.socket = connectTls({
        host: options.host,
        port: options.port,
        // SNI takes host names only; Node checks the certificate against `host` either way.
        ...(isIP(options.host) ? {} : { servername: options.host }),
        ca: options.ca,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
      });
      this._onSocketCreate(options, this.socket);
    }
  };
  return transport;
}

// The limit the gateway is compared with: a bare node:http server answering the same bytes the
// gateway answers, in its own process like the gateway. Prints its port, then serves.
import { createServer } from "node:http";

const bodies = JSON.parse(process.argv[2]);
const server = createServer((request, response) => {
  const path = request.url?.split("?")[0] ?? "";
  const body = bodies[path];
  // Read the request body like the gateway must, then answer.
  request.resume();
  request.on("end", () => {
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${server.address().port}\n`));

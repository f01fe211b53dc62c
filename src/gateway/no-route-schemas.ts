import { OpenClawError } from "../errors.js";

function refuse(kind: string): never {
  throw new OpenClawError(
    "OC_ERR_INTERNAL",
    `a route declares a Fastify ${kind} schema; this gateway checks requests with zod in the handler`,
    { hint: "parse the body with the route's zod schema instead of Fastify's `schema` option" },
  );
}

/**
 * Fastify's schema compilers, for a server none of whose routes declares a `schema`: every
 * request body is parsed with zod in its handler. Left to itself, Fastify loads ajv, ajv-formats
 * and fast-json-stringify when the server is constructed (≈ 400 KB of code evaluated on every
 * start) for compilers it never calls. Fastify builds a compiler only for a route that declares a
 * schema, so these are never called either; if a route declares one anyway, its registration
 * fails, and the server with it, instead of the route serving with a schema nobody enforces.
 */
export const NO_ROUTE_SCHEMAS = {
  compilersFactory: {
    buildValidator: () => refuse("validation"),
    buildSerializer: () => refuse("response"),
  },
};

import { expectTypeOf, it } from "vitest";
// Type-only: the Control UI keeps its own tolerant copy of the protocol shapes (it cannot import
// server code), so this is where the two copies are held together.
import type { ThreadBindingView as ControlUiThreadBindingView } from "../../../ui/src/gateway/protocol-types.js";
import type { ThreadBindingView } from "./binding-expiry.js";

it("the gateway's thread-binding view carries everything the Control UI reads (checked by tsc)", () => {
  expectTypeOf<ThreadBindingView>().toExtend<ControlUiThreadBindingView>();
});

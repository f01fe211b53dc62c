import {
  type ThreadBinding,
  type ThreadBindingPlace,
  type ThreadBindingStore,
  threadBindingKey,
} from "../thread-binding-store.js";
import type { MemoryLocation } from "./memory-location.js";

// Beside the location, as the channel stores' state is: bindings by place key, each as JSON.
const states = new WeakMap<MemoryLocation, Map<string, string>>();

function bindingsOf(location: MemoryLocation): Map<string, string> {
  let state = states.get(location);
  if (!state) {
    state = new Map();
    states.set(location, state);
  }
  return state;
}

/** Thread bindings on a MemoryLocation, stored as JSON so that no caller holds a live object. */
export class MemoryThreadBindingStore implements ThreadBindingStore {
  readonly #bindings: Map<string, string>;

  constructor(location: MemoryLocation) {
    this.#bindings = bindingsOf(location);
  }

  async put(binding: ThreadBinding): Promise<void> {
    const key = threadBindingKey(binding);
    // A replaced binding is a new one: it goes to the end of the creation order.
    this.#bindings.delete(key);
    this.#bindings.set(key, JSON.stringify(binding));
  }

  async get(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    const stored = this.#bindings.get(threadBindingKey(place));
    return stored === undefined ? undefined : (JSON.parse(stored) as ThreadBinding);
  }

  async touch(place: ThreadBindingPlace, at: number): Promise<boolean> {
    const binding = await this.get(place);
    if (!binding) return false;
    this.#bindings.set(threadBindingKey(place), JSON.stringify({ ...binding, lastActivityAt: at }));
    return true;
  }

  async update(
    place: ThreadBindingPlace,
    patch: { idleHours?: number; maxAgeHours?: number },
  ): Promise<ThreadBinding | undefined> {
    const binding = await this.get(place);
    if (!binding) return undefined;
    const updated = {
      ...binding,
      ...(patch.idleHours !== undefined ? { idleHours: patch.idleHours } : {}),
      ...(patch.maxAgeHours !== undefined ? { maxAgeHours: patch.maxAgeHours } : {}),
    };
    this.#bindings.set(threadBindingKey(place), JSON.stringify(updated));
    return updated;
  }

  async remove(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    const binding = await this.get(place);
    if (binding) this.#bindings.delete(threadBindingKey(place));
    return binding;
  }

  async list(): Promise<ThreadBinding[]> {
    return [...this.#bindings.values()]
      .map((stored) => JSON.parse(stored) as ThreadBinding)
      .sort((a, b) => a.createdAt - b.createdAt);
  }
}

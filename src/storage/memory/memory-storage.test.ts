import { describeStorageContract } from "../contract/index.js";
import { MemoryLocation } from "./memory-location.js";
import { createMemoryStorage } from "./memory-storage.js";

// The memory backend shares a location between storages, so it runs the cluster tests too: the
// shape a database backend must take.
describeStorageContract({
  name: "memory",
  shared: true,
  damageable: false,
  createPlace: async () => {
    const location = new MemoryLocation();
    return {
      open: async (options) => createMemoryStorage(location, options),
      dispose: async () => undefined,
    };
  },
});

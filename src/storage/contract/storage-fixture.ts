import { afterEach, beforeEach } from "vitest";
import type { Storage, StorageOptions } from "../storage.js";
import {
  type StorageBackendUnderTest,
  type StorageDamage,
  type StoragePlace,
  TestClock,
} from "./storage-under-test.js";

export interface StorageFixture {
  readonly clock: TestClock;
  /** The storage open now (the first, or the one `restart` opened). */
  readonly storage: Storage;
  /** Closes the storage and opens the place again: what a restarted gateway finds. */
  restart(): Promise<Storage>;
  /** Closes the storage, damages the place, opens it again. */
  restartDamaged(damage: StorageDamage): Promise<Storage>;
  /** A second storage open on the place at once: another gateway of the cluster. */
  openAnother(): Promise<Storage>;
}

/** Gives each test a fresh place, an injected clock and an open storage; closes and removes them after. */
export function useStorage(
  backend: StorageBackendUnderTest,
  options: Omit<StorageOptions, "now"> = {},
): StorageFixture {
  let clock = new TestClock();
  let place: StoragePlace | undefined;
  let storage: Storage | undefined;
  let open: Storage[] = [];

  const placeNow = (): StoragePlace => {
    if (!place) throw new Error("the storage fixture is used outside a test");
    return place;
  };
  const openOne = async (): Promise<Storage> => {
    const opened = await placeNow().open({ ...options, now: clock.now });
    open.push(opened);
    return opened;
  };
  const closeCurrent = async () => {
    if (!storage) return;
    await storage.close();
    open = open.filter((each) => each !== storage);
  };

  beforeEach(async () => {
    clock = new TestClock();
    place = await backend.createPlace();
    storage = await openOne();
  });
  afterEach(async () => {
    await Promise.all(open.map((each) => each.close().catch(() => undefined)));
    open = [];
    storage = undefined;
    await place?.dispose();
    place = undefined;
  });

  return {
    get clock() {
      return clock;
    },
    get storage() {
      if (!storage) throw new Error("the storage fixture is used outside a test");
      return storage;
    },
    async restart() {
      await closeCurrent();
      storage = await openOne();
      return storage;
    },
    async restartDamaged(damage) {
      await closeCurrent();
      const damageIt = placeNow().damage;
      if (!damageIt) throw new Error(`${backend.name} cannot damage stored data`);
      await damageIt.call(placeNow(), damage);
      storage = await openOne();
      return storage;
    },
    openAnother: openOne,
  };
}

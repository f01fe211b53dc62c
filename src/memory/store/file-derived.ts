import type { DatabaseSync, StatementSync } from "node:sqlite";

/**
 * A value this connection builds from the whole file and keeps (the in-process vector and keyword
 * indexes): built on first use, built again whenever another connection committed (`PRAGMA
 * data_version` moved: nothing tells this process what that one wrote) or it was dropped. A build
 * that gives undefined (nothing worth keeping yet) is tried again on the next use.
 */
export class FileDerived<T> {
  readonly #dataVersion: StatementSync;
  readonly #build: () => T | undefined;
  #value: T | undefined;
  #builtAtVersion = -1;

  constructor(db: DatabaseSync, build: () => T | undefined) {
    this.#dataVersion = db.prepare("PRAGMA data_version");
    this.#build = build;
  }

  /** The value, current with the file. */
  current(): T | undefined {
    const version = Number((this.#dataVersion.get() as { data_version: number }).data_version);
    if (this.#value === undefined || version !== this.#builtAtVersion) {
      this.#value = this.#build();
      this.#builtAtVersion = version;
    }
    return this.#value;
  }

  /** The value as kept, without looking at the file: to follow this connection's own writes. */
  kept(): T | undefined {
    return this.#value;
  }

  /** Forget it; the next use builds it again from the file. */
  drop(): void {
    this.#value = undefined;
  }
}

import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { StatementGuard } from "./statement-guard.js";

describe("StatementGuard transactions", () => {
  it("rolls back a failed transaction and says so, so state kept beside the file is dropped", () => {
    const db = new DatabaseSync(":memory:");
    db.exec("CREATE TABLE t (x INTEGER)");
    const guard = new StatementGuard(db, ":memory:", undefined);
    let rollbacks = 0;
    guard.onRollback = () => rollbacks++;
    guard.transaction(() => db.exec("INSERT INTO t VALUES (1)"));
    expect(rollbacks).toBe(0);
    expect(() =>
      guard.transaction(() => {
        db.exec("INSERT INTO t VALUES (2)");
        throw new Error("half-way");
      }),
    ).toThrow("half-way");
    expect(rollbacks).toBe(1);
    expect(db.prepare("SELECT x FROM t").all()).toEqual([{ x: 1 }]);
    db.close();
  });
});

import { describe, expect, it } from "vitest";
import { MEMORY_POINT_NAMESPACE, memoryPointId, uuidV5 } from "./point-id.js";

describe("memory point ids", () => {
  it("are RFC 4122 version 5 UUIDs (checked against known vectors)", () => {
    const dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    expect(uuidV5("www.example.com", dns)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
    expect(uuidV5("python.org", dns)).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
  });

  it("are the same on every replay, and differ between agents", () => {
    const id = memoryPointId("main", "m1");
    expect(id).toBe(memoryPointId("main", "m1"));
    expect(id).toBe(uuidV5("main:m1", MEMORY_POINT_NAMESPACE));
    expect(id).not.toBe(memoryPointId("other", "m1"));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

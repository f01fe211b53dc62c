import { describe, expect, it } from "vitest";
import { bitString, objectIdentifier, sequence, time, tlv, unsignedInteger } from "./der.js";

const hex = (buffer: Buffer) => buffer.toString("hex");

describe("DER encoding", () => {
  it("encodes object identifiers with base-128 arcs", () => {
    expect(hex(objectIdentifier("1.2.840.10045.4.3.2"))).toBe("06082a8648ce3d040302");
    expect(hex(objectIdentifier("2.5.29.17"))).toBe("0603551d11");
    expect(hex(objectIdentifier("1.3.6.1.5.5.7.3.1"))).toBe("06082b06010505070301");
  });

  it("uses the short length form below 128 bytes and the long form above", () => {
    expect(hex(tlv(0x04, Buffer.alloc(127)).subarray(0, 2))).toBe("047f");
    expect(hex(tlv(0x04, Buffer.alloc(128)).subarray(0, 3))).toBe("048180");
    expect(hex(tlv(0x04, Buffer.alloc(300)).subarray(0, 4))).toBe("0482012c");
  });

  it("encodes non-negative integers minimally", () => {
    expect(hex(unsignedInteger(Buffer.from([0x00, 0x00, 0x05])))).toBe("020105");
    expect(hex(unsignedInteger(Buffer.from([0x80])))).toBe("02020080");
    expect(hex(unsignedInteger(Buffer.from([0x00])))).toBe("020100");
  });

  it("encodes bit strings and sequences", () => {
    expect(hex(bitString(Buffer.from([0xab])))).toBe("030200ab");
    expect(hex(sequence())).toBe("3000");
  });

  it("uses UTCTime through 2049 and GeneralizedTime from 2050", () => {
    expect(time(new Date("2026-03-04T05:06:07.890Z")).toString("latin1")).toBe("\x17\x0d260304050607Z");
    expect(time(new Date("2049-12-31T23:59:59Z")).toString("latin1")).toBe("\x17\x0d491231235959Z");
    expect(time(new Date("2050-01-01T00:00:00Z")).toString("latin1")).toBe("\x18\x0f20500101000000Z");
  });
});

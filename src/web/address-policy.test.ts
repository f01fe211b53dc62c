import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { privateAddressReason } from "./address-policy.js";

const octet = fc.integer({ min: 0, max: 255 });
const v4 = (a: number, b: number, c: number, d: number) => `${a}.${b}.${c}.${d}`;
const hex = (value: number) => value.toString(16);
/** The IPv6 spellings an IPv4 address can hide behind, all reaching the IPv4 host. */
const mappedForms = (a: number, b: number, c: number, d: number) => [
  `::ffff:${v4(a, b, c, d)}`,
  `::ffff:${hex((a << 8) | b)}:${hex((c << 8) | d)}`,
  `0:0:0:0:0:ffff:${v4(a, b, c, d)}`,
  `64:ff9b::${v4(a, b, c, d)}`,
];

type Quad = [number, number, number, number];

/** Private IPv4 ranges, each as a generator of its addresses. */
const privateV4: fc.Arbitrary<Quad> = fc.oneof(
  fc.tuple(octet, octet, octet).map(([b, c, d]) => [127, b, c, d] as Quad),
  fc.tuple(octet, octet, octet).map(([b, c, d]) => [10, b, c, d] as Quad),
  fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => [172, b, c, d] as Quad),
  fc.tuple(octet, octet).map(([c, d]) => [192, 168, c, d] as Quad),
  fc.tuple(octet, octet).map(([c, d]) => [169, 254, c, d] as Quad),
  fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => [100, b, c, d] as Quad),
  fc.tuple(octet, octet, octet).map(([b, c, d]) => [0, b, c, d] as Quad),
);

/** Public IPv4: first octets outside every special range. */
const publicV4 = fc
  .tuple(fc.constantFrom(1, 8, 23, 45, 77, 93, 104, 142, 151, 185, 199, 208, 216), octet, octet, octet)
  .map(([a, b, c, d]) => [a, b, c, d] as Quad);

describe("privateAddressReason", () => {
  it("refuses every private, loopback, link-local, CGNAT and this-network IPv4 address", () => {
    fc.assert(
      fc.property(privateV4, (parts) => {
        expect(privateAddressReason(v4(...parts))).toBeDefined();
      }),
    );
  });

  it("refuses the same addresses in their IPv4-mapped and NAT64 IPv6 forms", () => {
    fc.assert(
      fc.property(privateV4, (parts) => {
        for (const form of mappedForms(...parts)) expect(privateAddressReason(form), form).toBeDefined();
      }),
    );
  });

  it("lets public IPv4 through, plain and mapped", () => {
    fc.assert(
      fc.property(publicV4, (parts) => {
        expect(privateAddressReason(v4(...parts))).toBeUndefined();
        expect(privateAddressReason(`::ffff:${v4(...parts)}`)).toBeUndefined();
      }),
    );
  });

  it("refuses IPv6 loopback, unspecified, link-local and unique-local (fc00::/7)", () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.integer({ min: 0xfc00, max: 0xfdff }), group, group, (first, second, last) => {
        expect(privateAddressReason(`${hex(first)}:${hex(second)}::${hex(last)}`)).toMatch(/unique-local/);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0xfe80, max: 0xfebf }), group, (first, last) => {
        expect(privateAddressReason(`${hex(first)}::${hex(last)}`)).toBeDefined();
      }),
    );
    for (const address of ["::1", "::", "0:0:0:0:0:0:0:1", "fd00:ec2::254", "ff02::1"]) {
      expect(privateAddressReason(address), address).toBeDefined();
    }
  });

  it("names the cloud metadata endpoints", () => {
    expect(privateAddressReason("169.254.169.254")).toMatch(/link-local/);
    expect(privateAddressReason("fd00:ec2::254")).toMatch(/unique-local/);
    expect(privateAddressReason("::ffff:169.254.169.254")).toMatch(/link-local/);
  });

  it("lets global IPv6 unicast through", () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.integer({ min: 0x2400, max: 0x2c0f }), group, group, (first, second, last) => {
        expect(privateAddressReason(`${hex(first)}:${hex(second)}::${hex(last)}`)).toBeUndefined();
      }),
    );
    expect(privateAddressReason("2606:4700:4700::1111")).toBeUndefined();
  });

  it("refuses what is not an address at all", () => {
    expect(privateAddressReason("localhost")).toBeDefined();
    expect(privateAddressReason("")).toBeDefined();
  });
});

import { describe, expect, it } from "vitest";
import { checkNavigation, isRefusedAddress, resolveDestination } from "./navigation-policy.js";

const resolvesTo =
  (...addresses: string[]) =>
  async () =>
    addresses;

describe("browser navigation policy", () => {
  it.each([
    "127.0.0.1",
    "127.1.2.3",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "::1",
    "::",
    "fd00:ec2::254",
    "fc00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
  ])("refuses %s", (address) => {
    expect(isRefusedAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111"])(
    "allows %s",
    (address) => {
      expect(isRefusedAddress(address)).toBe(false);
    },
  );

  it("refuses a public-looking name that resolves to loopback, and a name with any private answer", async () => {
    expect(await checkNavigation("http://evil.example/", {}, resolvesTo("127.0.0.1"))).toMatchObject({
      allowed: false,
    });
    expect(
      await checkNavigation("https://mixed.example/", {}, resolvesTo("93.184.216.34", "10.0.0.5")),
    ).toMatchObject({ allowed: false });
    expect(await checkNavigation("https://public.example/", {}, resolvesTo("93.184.216.34"))).toEqual({
      allowed: true,
    });
  });

  it("allows exactly the listed hostnames, or everything with dangerouslyAllowPrivateNetwork", async () => {
    const policy = { allowedHostnames: ["Intranet.Local"] };
    expect(await checkNavigation("http://intranet.local/", policy, resolvesTo("10.0.0.1"))).toEqual({
      allowed: true,
    });
    expect(await checkNavigation("http://other.local/", policy, resolvesTo("10.0.0.1"))).toMatchObject({
      allowed: false,
    });
    expect(
      await checkNavigation("http://[::1]:8080/", { dangerouslyAllowPrivateNetwork: true }, resolvesTo()),
    ).toEqual({ allowed: true });
  });

  it("connects to the address it checked", async () => {
    expect(await resolveDestination("site.example", {}, resolvesTo("93.184.216.34"))).toEqual({
      allowed: true,
      address: "93.184.216.34",
    });
  });

  it("refuses non-web schemes and unresolvable hosts, lets local schemes through", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/", "chrome://settings", "not a url"]) {
      expect((await checkNavigation(url, {}, resolvesTo("93.184.216.34"))).allowed, url).toBe(false);
    }
    const failing = async () => {
      throw new Error("ENOTFOUND");
    };
    expect((await checkNavigation("http://nowhere.example/", {}, failing)).allowed).toBe(false);
    expect((await checkNavigation("about:blank", {})).allowed).toBe(true);
    expect((await checkNavigation("data:text/html,hi", {})).allowed).toBe(true);
  });
});

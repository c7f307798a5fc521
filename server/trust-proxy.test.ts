import { trustProxySetting } from "./trust-proxy";

describe("TRUST_PROXY", () => {
  it("trusts no proxy when unset, empty or false", () => {
    expect(trustProxySetting(undefined)).toBe(false);
    expect(trustProxySetting("")).toBe(false);
    expect(trustProxySetting("false")).toBe(false);
  });

  it("takes a number of hops", () => {
    expect(trustProxySetting("2")).toBe(2);
  });

  it("takes addresses, subnets and names, comma-separated", () => {
    expect(trustProxySetting("loopback")).toEqual(["loopback"]);
    expect(trustProxySetting(" 10.0.0.0/8, loopback ,")).toEqual(["10.0.0.0/8", "loopback"]);
  });
});

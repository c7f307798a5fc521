import { describe, expect, it } from "vitest";
import { clientIp } from "./client-address.server";

const from = (address: string) => clientIp(new Request("http://localhost/", { headers: { "x-ocop-client-ip": address } }));

// One household or phone holds a whole IPv6 /64 and picks a fresh address in it at will, so a
// per-client limit keyed on the full address was a new client per address.
describe("the client address used as a key for per-client limits", () => {
  it("groups IPv6 addresses by their /64, whatever their spelling", () => {
    const key = from("2001:db8:abcd:12::1");
    expect(key).toBe("2001:db8:abcd:12::/64");
    for (const same of ["2001:db8:abcd:12:ffff:1:2:3", "2001:0DB8:ABCD:0012:0000:0000:0000:0009", "2001:db8:abcd:12::a%eth0"]) {
      expect(from(same), same).toBe(key);
    }
    expect(from("2001:db8:abcd:13::1")).not.toBe(key);
    expect(from("::1")).toBe("0:0:0:0::/64");
    expect(from("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(from("2001:db8:1:2:3:4:1.2.3.4")).toBe("2001:db8:1:2::/64");
  });

  it("keeps IPv4 whole, and reads an IPv4-mapped IPv6 address as its IPv4", () => {
    expect(from("203.0.113.7")).toBe("203.0.113.7");
    expect(from("203.0.113.8")).not.toBe(from("203.0.113.7"));
    expect(from("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(from("::FFFF:cb00:7107")).toBe("203.0.113.7");
  });

  it("anything else is one shared key, never the raw text", () => {
    expect(from("")).toBe("unknown");
    expect(from("not an address")).toBe("unknown");
    expect(clientIp(new Request("http://localhost/"))).toBe("unknown");
  });
});

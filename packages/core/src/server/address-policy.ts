import { BlockList, isIP } from "node:net";
import { invalidOption } from "../errors.js";

/**
 * Which addresses the server may connect to when it fetches a URL for a
 * client (image_url, bg_image_url): public ones only, unless allowed. The
 * check runs on resolved addresses, so a hostname that resolves to loopback
 * is refused like 127.0.0.1 itself. IPv4-mapped IPv6 addresses are matched
 * against the IPv4 ranges (BlockList does this).
 */
const PRIVATE_V4: [string, number][] = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT (and Alibaba's metadata, 100.100.100.200)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local: cloud metadata at 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the broadcast address
];

const PRIVATE_V6: [string, number][] = [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96], // NAT64: could reach any IPv4 address, private ones included
  ["64:ff9b:1::", 48],
  ["100::", 64], // discard
  ["2001::", 23], // IETF protocol assignments (Teredo among them)
  ["2001:db8::", 32], // documentation
  ["2002::", 16], // 6to4: embeds an IPv4 address
  ["fc00::", 7], // unique local (AWS metadata at fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["fec0::", 10],
  ["ff00::", 8], // multicast
];

const PRIVATE = new BlockList();
for (const [address, prefix] of PRIVATE_V4) PRIVATE.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of PRIVATE_V6) PRIVATE.addSubnet(address, prefix, "ipv6");

export class AddressPolicy {
  private readonly anything: boolean;
  private readonly hosts = new Set<string>();
  private readonly allowed = new BlockList();

  /**
   * `allow`: private hosts that may still be fetched (an internal asset
   * server): hostnames (exact), IP addresses, CIDR ranges ("10.1.0.0/16"), or
   * "*" for any address.
   */
  constructor(allow: readonly string[] = []) {
    this.anything = allow.includes("*");
    for (const entry of allow) {
      if (entry === "*") continue;
      const [address, prefix] = entry.split("/");
      const family = isIP(address ?? "");
      if (family !== 0 && prefix === undefined) this.allowed.addAddress(address!, family === 4 ? "ipv4" : "ipv6");
      else if (family !== 0 && /^\d{1,3}$/.test(prefix!) && Number(prefix) <= (family === 4 ? 32 : 128))
        this.allowed.addSubnet(address!, Number(prefix), family === 4 ? "ipv4" : "ipv6");
      else if (prefix === undefined && /^[a-z0-9.-]+$/i.test(entry)) this.hosts.add(entry.toLowerCase());
      else throw invalidOption("allowPrivateHosts", "hostnames, IP addresses, CIDR ranges or *", entry);
    }
  }

  /** Whether a connection to `address` (which `hostname` resolved to) is allowed. */
  permits(hostname: string, address: string): boolean {
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (this.anything || this.hosts.has(hostname.toLowerCase().replace(/^\[|\]$/g, ""))) return true;
    return this.allowed.check(address, family) || !PRIVATE.check(address, family);
  }
}

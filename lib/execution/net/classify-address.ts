// Classifies an IP address for the outbound-request guard (SSRF). Everything that is not a
// globally routable unicast address is refused, including IPv6 forms that embed an IPv4
// address (mapped, compatible, NAT64, 6to4, Teredo): those are judged by the embedded
// address. This module must never resolve names or touch the network.
import { isIPv4, isIPv6 } from "node:net";

export type AddressRefusal =
  | "invalid"
  | "loopback"
  | "private"
  | "link_local"
  | "cgnat"
  | "multicast"
  | "unspecified"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "metadata"
  | "unique_local";

export type AddressClass = "public" | AddressRefusal;

interface V4Range {
  base: number;
  bits: number;
  reason: AddressRefusal;
}

// Order matters: the first match wins, so narrow ranges come before the ones containing them.
const V4_RANGES: readonly V4Range[] = [
  { base: v4("169.254.169.254"), bits: 32, reason: "metadata" },
  { base: v4("255.255.255.255"), bits: 32, reason: "broadcast" },
  { base: v4("0.0.0.0"), bits: 8, reason: "unspecified" },
  { base: v4("10.0.0.0"), bits: 8, reason: "private" },
  { base: v4("100.64.0.0"), bits: 10, reason: "cgnat" },
  { base: v4("127.0.0.0"), bits: 8, reason: "loopback" },
  { base: v4("169.254.0.0"), bits: 16, reason: "link_local" },
  { base: v4("172.16.0.0"), bits: 12, reason: "private" },
  { base: v4("192.0.0.0"), bits: 24, reason: "reserved" },
  { base: v4("192.0.2.0"), bits: 24, reason: "documentation" },
  { base: v4("192.88.99.0"), bits: 24, reason: "reserved" },
  { base: v4("192.168.0.0"), bits: 16, reason: "private" },
  { base: v4("198.18.0.0"), bits: 15, reason: "benchmarking" },
  { base: v4("198.51.100.0"), bits: 24, reason: "documentation" },
  { base: v4("203.0.113.0"), bits: 24, reason: "documentation" },
  { base: v4("224.0.0.0"), bits: 4, reason: "multicast" },
  { base: v4("240.0.0.0"), bits: 4, reason: "reserved" },
];

function v4(dotted: string): number {
  const parts = dotted.split(".").map(Number);
  return (((parts[0] ?? 0) << 24) | ((parts[1] ?? 0) << 16) | ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)) >>> 0;
}

function inRange(value: number, base: number, bits: number): boolean {
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (~(0xffffffff >>> bits)) >>> 0;
  return ((value & mask) >>> 0) === ((base & mask) >>> 0);
}

function classifyV4Number(value: number): AddressClass {
  for (const range of V4_RANGES) {
    if (inRange(value, range.base, range.bits)) return range.reason;
  }
  return "public";
}

/** Parses an IPv6 address (no brackets, optional zone id) into eight 16-bit words. */
function parseV6(text: string): number[] | null {
  const address = text.split("%")[0] ?? "";
  if (!isIPv6(address)) return null;
  let head = address;
  let tailV4: number[] = [];
  const lastColon = head.lastIndexOf(":");
  const lastPart = head.slice(lastColon + 1);
  if (lastPart.includes(".")) {
    if (!isIPv4(lastPart)) return null;
    const n = v4(lastPart);
    tailV4 = [n >>> 16, n & 0xffff];
    head = head.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::", "a::1.2.3.4" leaves "a::", "a:b:c:d:e:f:1.2.3.4" leaves "a:…:f:".
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const want = 8 - tailV4.length;
  const toWords = (s: string) => (s === "" ? [] : s.split(":").map((w) => parseInt(w, 16)));
  let words: number[];
  const gap = head.indexOf("::");
  if (gap >= 0) {
    const left = toWords(head.slice(0, gap));
    const right = toWords(head.slice(gap + 2));
    const zeros = want - left.length - right.length;
    if (zeros < 0) return null;
    words = [...left, ...new Array<number>(zeros).fill(0), ...right];
  } else {
    words = toWords(head);
  }
  if (words.length !== want || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) return null;
  return [...words, ...tailV4];
}

function prefixMatches(words: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < 8 && bits > 0; i++) {
    const take = Math.min(16, bits);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((words[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
    bits -= take;
  }
  return true;
}

const word = (words: readonly number[], i: number) => words[i] ?? 0;
const embeddedV4 = (words: readonly number[], hi: number) => ((word(words, hi) << 16) | word(words, hi + 1)) >>> 0;

function classifyV6Words(w: readonly number[]): AddressClass {
  const allZeroBefore = (n: number) => w.slice(0, n).every((x) => x === 0);
  if (allZeroBefore(8)) return "unspecified";
  if (allZeroBefore(7) && word(w, 7) === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped) and ::ffff:0:a.b.c.d (SIIT): the kernel talks IPv4 to the embedded address.
  if (allZeroBefore(5) && word(w, 5) === 0xffff) return classifyV4Number(embeddedV4(w, 6));
  if (allZeroBefore(4) && word(w, 4) === 0xffff && word(w, 5) === 0) return classifyV4Number(embeddedV4(w, 6));
  // ::a.b.c.d (deprecated IPv4-compatible): no legitimate use, refused even when the v4 part is public.
  if (allZeroBefore(6)) {
    const inner = classifyV4Number(embeddedV4(w, 6));
    return inner === "public" ? "reserved" : inner;
  }
  // NAT64 well-known prefix 64:ff9b::/96 and local-use 64:ff9b:1::/48.
  if (prefixMatches(w, [0x64, 0xff9b, 0, 0, 0, 0], 96) || prefixMatches(w, [0x64, 0xff9b, 1], 48)) {
    return classifyV4Number(embeddedV4(w, 6));
  }
  if (w[0] === 0xfd00 && w[1] === 0x0ec2 && w.slice(2, 7).every((x) => x === 0) && w[7] === 0x254) return "metadata";
  if (prefixMatches(w, [0xff00], 8)) return "multicast";
  if (prefixMatches(w, [0xfe80], 10)) return "link_local";
  if (prefixMatches(w, [0xfc00], 7)) return "unique_local";
  // Only global unicast (2000::/3) can be public; site-local, discard-only (100::/64) and
  // every unassigned block fall here.
  if (!prefixMatches(w, [0x2000], 3)) return "reserved";
  if (prefixMatches(w, [0x2001, 0x0db8], 32) || prefixMatches(w, [0x3fff], 20)) return "documentation";
  if (prefixMatches(w, [0x2001, 0x0002, 0], 48)) return "benchmarking";
  // 6to4 carries the IPv4 address in bits 16..47.
  if (prefixMatches(w, [0x2002], 16)) {
    const inner = classifyV4Number(embeddedV4(w, 1));
    return inner;
  }
  // Teredo: the server is words 2-3, the client is the last 32 bits inverted. Refuse if either is not public.
  if (prefixMatches(w, [0x2001, 0x0000], 32)) {
    const server = classifyV4Number(embeddedV4(w, 2));
    if (server !== "public") return server;
    return classifyV4Number((~embeddedV4(w, 6)) >>> 0);
  }
  // Remaining IETF protocol assignments in 2001::/23 (ORCHID, AMT, …) are not ordinary hosts.
  if (prefixMatches(w, [0x2001, 0x0000], 23)) return "reserved";
  return "public";
}

/**
 * "public" when a request may be sent to `ip`, otherwise why it is refused. Takes a
 * literal IPv4 (dotted quad) or IPv6 address, with or without brackets; anything else is
 * "invalid" (names and legacy IPv4 spellings go through parseHostLiteral first).
 */
export function classifyAddress(ip: string): AddressClass {
  let text = ip.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  if (isIPv4(text)) return classifyV4Number(v4(text));
  const words = parseV6(text);
  return words ? classifyV6Words(words) : "invalid";
}

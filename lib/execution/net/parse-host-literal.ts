// Turns the host part of a URL into an IP address or a DNS name, the way a WHATWG URL
// parser (and so every fetch) reads it: legacy IPv4 spellings such as 2130706433,
// 0x7f000001, 0177.0.0.1 and 127.1 are IPv4 addresses, not names. We rely on `new URL()`
// for that normalisation instead of re-implementing it, so the guard and the request can
// never disagree about which address a host means.
import { isIPv4, isIPv6 } from "node:net";
import { NetError } from "./net-error";

export type HostLiteral =
  | { kind: "ipv4"; address: string }
  | { kind: "ipv6"; address: string }
  | { kind: "name"; name: string };

/** Characters that would let `host` smuggle a userinfo, port, path, query or fragment into the probe URL. */
const SMUGGLING = /[\s/\\?#@%]/;

export function parseHostLiteral(host: string): HostLiteral {
  if (host === "" || SMUGGLING.test(host)) throw new NetError("bad_url", "invalid host");
  const bracketed = host.startsWith("[") && host.endsWith("]");
  if (!bracketed && host.includes(":")) throw new NetError("bad_url", "invalid host");
  let hostname: string;
  try {
    hostname = new URL(`http://${host}/`).hostname;
  } catch {
    throw new NetError("bad_url", "invalid host");
  }
  return classifyHostname(hostname);
}

/** Reads a `URL#hostname` that the URL parser has already normalised. */
export function classifyHostname(hostname: string): HostLiteral {
  if (hostname.startsWith("[") && hostname.endsWith("]")) {
    const address = hostname.slice(1, -1);
    if (!isIPv6(address)) throw new NetError("bad_url", "invalid host");
    return { kind: "ipv6", address };
  }
  if (isIPv4(hostname)) return { kind: "ipv4", address: hostname };
  if (hostname === "") throw new NetError("bad_url", "invalid host");
  // DNS is case-insensitive and a trailing dot names the same host; compare names in one form.
  return { kind: "name", name: hostname.toLowerCase().replace(/\.$/, "") };
}

import { describe, expect, test } from "vitest";
import { classifyAddress } from "../../lib/execution/net/classify-address";
import { guardedFetch, isDomainAllowed, type ResolveHost } from "../../lib/execution/net/guarded-fetch";
import { NetError } from "../../lib/execution/net/net-error";
import { parseHostLiteral } from "../../lib/execution/net/parse-host-literal";

const dns: Record<string, string[]> = {
  "public.test": ["93.184.216.34"],
  "private.test": ["10.1.2.3"],
  "mixed.test": ["93.184.216.34", "192.168.0.10"],
  "v6private.test": ["fc00::5"],
  "metadata.test": ["169.254.169.254"],
  localhost: ["127.0.0.1"],
};
const resolver: ResolveHost = async (name) => {
  const addresses = dns[name];
  if (!addresses) throw new Error(`ENOTFOUND ${name}`);
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
};

const ALLOWED = [...Object.keys(dns)];

async function refusal(url: string, allowedDomains: string[] = ALLOWED, init = {}): Promise<NetError> {
  try {
    await guardedFetch(url, init, { allowedDomains, lookup: resolver, timeoutMs: 1000 });
  } catch (error) {
    expect(error).toBeInstanceOf(NetError);
    return error as NetError;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe("classifyAddress", () => {
  test.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.16.5.5", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["169.254.169.254", "metadata"],
    ["169.254.1.1", "link_local"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["febf::1", "link_local"],
    ["fc00::1", "unique_local"],
    ["fd12:3456::1", "unique_local"],
    ["fd00:ec2::254", "metadata"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:a9fe:a9fe", "metadata"],
    ["::ffff:0:192.168.0.1", "private"],
    ["::127.0.0.1", "loopback"],
    ["::8.8.8.8", "reserved"],
    ["64:ff9b::127.0.0.1", "loopback"],
    ["64:ff9b::a00:1", "private"],
    ["64:ff9b:1::c0a8:101", "private"],
    ["2002:7f00:1::", "loopback"],
    ["2002:c0a8:101::1", "private"],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"], // Teredo client 127.0.0.1 (inverted)
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["2001:2::1", "benchmarking"],
    ["fec0::1", "reserved"],
    ["100::1", "reserved"],
    ["not-an-ip", "invalid"],
    ["127.1", "invalid"],
    ["", "invalid"],
  ])("%s is %s", (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });

  test.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "169.253.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])(
    "%s is public",
    (ip) => {
      expect(classifyAddress(ip)).toBe("public");
    },
  );
});

describe("parseHostLiteral", () => {
  test.each([
    ["2130706433", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["0X7F.0.0.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0177.0.0.01", "127.0.0.1"],
    ["127.1", "127.0.0.1"],
    ["127.0.1", "127.0.0.1"],
    ["0", "0.0.0.0"],
    ["017700000001", "127.0.0.1"],
    ["10.1", "10.0.0.1"],
    ["0xa9.0xfe.0xa9.0xfe", "169.254.169.254"],
    ["127.0.0.1.", "127.0.0.1"],
  ])("legacy IPv4 spelling %s is %s", (host, address) => {
    expect(parseHostLiteral(host)).toEqual({ kind: "ipv4", address });
    // The guard agrees with what fetch would connect to.
    expect(new URL(`http://${host}/`).hostname).toBe(address);
  });

  test("bracketed IPv6 is normalised", () => {
    expect(parseHostLiteral("[::1]")).toEqual({ kind: "ipv6", address: "::1" });
    expect(parseHostLiteral("[::ffff:127.0.0.1]")).toEqual({ kind: "ipv6", address: "::ffff:7f00:1" });
    expect(parseHostLiteral("[0:0:0:0:0:0:0:1]")).toEqual({ kind: "ipv6", address: "::1" });
  });

  test("names are lower-cased and lose a trailing dot", () => {
    expect(parseHostLiteral("API.Example.COM.")).toEqual({ kind: "name", name: "api.example.com" });
  });

  test.each(["", "evil.com@127.0.0.1", "a/b", "a b", "a?b", "a#b", "::1", "[::1", "host:80", "a\\b", "[127.0.0.1]", "1.2.3.4.5", "0x100000000", "256.0.0.1"])(
    "refuses %j",
    (host) => {
      expect(() => parseHostLiteral(host)).toThrow(NetError);
    },
  );
});

describe("isDomainAllowed", () => {
  test("exact names and subdomain wildcards", () => {
    expect(isDomainAllowed("api.example.com", ["api.example.com"])).toBe(true);
    expect(isDomainAllowed("API.example.com.", ["api.example.com"])).toBe(true);
    expect(isDomainAllowed("x.api.example.com", ["api.example.com"])).toBe(false);
    expect(isDomainAllowed("a.example.com", ["*.example.com"])).toBe(true);
    expect(isDomainAllowed("a.b.example.com", ["*.example.com"])).toBe(true);
    expect(isDomainAllowed("example.com", ["*.example.com"])).toBe(false);
    expect(isDomainAllowed("evilexample.com", ["*.example.com"])).toBe(false);
    expect(isDomainAllowed("example.com.evil.net", ["*.example.com", "example.com"])).toBe(false);
    expect(isDomainAllowed("anything.com", ["*.com"])).toBe(false);
    expect(isDomainAllowed("anything.com", ["*"])).toBe(false);
    expect(isDomainAllowed("", [""])).toBe(false);
  });
});

describe("guardedFetch refuses before connecting", () => {
  test.each([
    "http://127.0.0.1/",
    "http://[::1]/",
    "http://0.0.0.0/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.5.5/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://[fc00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[fd00:ec2::254]/",
  ])("%s → blocked_address", async (url) => {
    const error = await refusal(url, ALLOWED);
    expect(error.code).toBe("blocked_address");
  });

  test("localhost is refused even when allowed", async () => {
    expect((await refusal("http://localhost:8080/")).code).toBe("blocked_address");
    expect((await refusal("http://app.localhost/", ["*.localhost"])).code).toBe("blocked_address");
  });

  test("a name resolving to a private, metadata or unique-local address is refused", async () => {
    for (const host of ["private.test", "metadata.test", "v6private.test"]) {
      const error = await refusal(`https://${host}/x`);
      expect(error.code).toBe("blocked_address");
      expect(error.message).toContain(host);
    }
  });

  test("a name resolving to one public and one private address is refused", async () => {
    const error = await refusal("https://mixed.test/");
    expect(error.code).toBe("blocked_address");
  });

  test("hosts outside allowed_domains are refused before DNS", async () => {
    let called = false;
    const lookup: ResolveHost = async () => {
      called = true;
      return [{ address: "93.184.216.34", family: 4 }];
    };
    await expect(guardedFetch("https://other.example/", {}, { allowedDomains: ["public.test"], lookup })).rejects.toMatchObject({ code: "domain_not_allowed" });
    await expect(guardedFetch("https://93.184.216.34/", {}, { allowedDomains: ["public.test"], lookup })).rejects.toMatchObject({ code: "domain_not_allowed" });
    expect(called).toBe(false);
  });

  test.each(["ftp://public.test/", "file:///etc/passwd", "gopher://public.test/", "data:text/plain,hi", "javascript:alert(1)", "not a url", "http://user:pw@public.test/"])(
    "%s → bad_url",
    async (url) => {
      expect((await refusal(url)).code).toBe("bad_url");
    },
  );

  test("header values with CR/LF are refused without echoing the value", async () => {
    const error = await refusal("https://public.test/", ALLOWED, { headers: { "x-api-key": "sk_live_SECRET\r\nX-Injected: 1" } });
    expect(error.code).toBe("bad_url");
    expect(error.message).not.toContain("SECRET");
  });

  test("error messages never contain the query string or headers", async () => {
    const error = await refusal("https://private.test/path?api_key=sk_live_SECRET", ALLOWED, { headers: { authorization: "Bearer sk_live_SECRET" } });
    expect(error.message).not.toContain("SECRET");
    expect(error.message).not.toContain("api_key");
  });

  test("testOnlyTrustedAddresses is refused outside tests", async () => {
    const saved = { NODE_ENV: process.env.NODE_ENV, VITEST: process.env.VITEST };
    try {
      delete process.env.VITEST;
      (process.env as Record<string, string | undefined>).NODE_ENV = "production";
      await expect(guardedFetch("http://public.test/", {}, { allowedDomains: ["public.test"], lookup: resolver, testOnlyTrustedAddresses: ["127.0.0.1"] })).rejects.toThrow(/only allowed in tests/);
    } finally {
      (process.env as Record<string, string | undefined>).NODE_ENV = saved.NODE_ENV;
      if (saved.VITEST !== undefined) process.env.VITEST = saved.VITEST;
    }
  });
});

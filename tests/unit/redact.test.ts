import { describe, expect, test } from "vitest";
import { isSecretKey, REDACTED, redact, redactForLog, sanitizeString } from "../../lib/events/redact";

describe("redact", () => {
  test("replaces values under secret-looking keys at any depth", () => {
    const out = redact({
      user: "ana",
      password: "hunter22",
      config: { API_KEY: "k-123", nested: [{ accessToken: "t-1", clientSecret: "s", keep: 1 }] },
      headers: { Authorization: "Bearer abc", cookie: "sid=1" },
      secrets: { SLACK: "xoxb" },
    });
    expect(out).toEqual({
      user: "ana",
      password: REDACTED,
      config: { API_KEY: REDACTED, nested: [{ accessToken: REDACTED, clientSecret: REDACTED, keep: 1 }] },
      headers: { Authorization: REDACTED, cookie: REDACTED },
      secrets: REDACTED,
    });
  });

  test("keeps harmless keys that merely mention a secret word", () => {
    for (const k of ["tokenId", "tokenPrefix", "secretRef", "passwordPolicy", "keyId", "tokens_count"]) expect(isSecretKey(k)).toBe(false);
    for (const k of ["token", "api-key", "x_api_key", "PRIVATE_KEY", "sessionId", "credentials", "db_password"]) expect(isSecretKey(k)).toBe(true);
  });

  test("removes known secret values wherever they appear inside strings, keys included", () => {
    const secret = "sk_live_ABCDEF123456";
    const out = redact({ message: `calling with ${secret} now`, list: [secret, "other"], [`k_${secret}`]: 1 }, { secrets: [secret] });
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out).toEqual({ message: `calling with ${REDACTED} now`, list: [REDACTED, "other"], [`k_${REDACTED}`]: 1 });
  });

  test("replaces the longest secret first and ignores very short ones", () => {
    expect(redact("a-abcdef-abcdefgh", { secrets: ["abcdef", "abcdefgh", "a"] })).toBe(`a-${REDACTED}-${REDACTED}`);
  });

  test("does not mutate its input", () => {
    const input = { password: "x1234", n: { token: "y1234" } };
    redact(input);
    expect(input).toEqual({ password: "x1234", n: { token: "y1234" } });
  });

  test("strips what Postgres jsonb cannot store", () => {
    expect(sanitizeString("a\u0000b")).toBe("a\uFFFDb");
    expect(sanitizeString("x\uD800y")).toBe("x\uFFFDy");
    expect(sanitizeString("ok \uD83D\uDE00")).toBe("ok \uD83D\uDE00");
  });

  test("for logs, CR/LF cannot start a forged line", () => {
    const out = redactForLog({ msg: 'ok\r\n{"level":"error","msg":"forged"}', password: "p4ss" }) as Record<string, string>;
    expect(out.msg).not.toMatch(/[\r\n]/);
    expect(out.msg).toBe('ok\\r\\n{"level":"error","msg":"forged"}');
    expect(out.password).toBe(REDACTED);
  });
});

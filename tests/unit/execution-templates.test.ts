import { describe, expect, test } from "vitest";
import { mapResponse } from "../../lib/execution/templates/map-response";
import { parsePath } from "../../lib/execution/templates/parse-path";
import { renderHeaders, renderJsonBody, renderText, renderUrl, type TemplateContext } from "../../lib/execution/templates/render-template";
import { TemplateError } from "../../lib/execution/templates/template-error";

const ctx: TemplateContext = {
  input: { city: "São Paulo", count: 3, flag: true, nothing: null, tags: ["a", "b"], nested: { deep: { v: 1 } }, host: "evil.example", path: "../../admin", q: "a&b=c#d" },
  config: { units: "metric", BASE_PATH: "v1", shared: "from-config" },
  secrets: { API_KEY: "sk_live_SECRET", shared: "from-secrets" },
  steps: { extract: { output: { text: "hello", items: [{ id: 7 }] } } },
};

describe("paths", () => {
  test("identifiers, dots and indexes", () => {
    expect(parsePath("data.weather[0].main")).toEqual(["data", "weather", 0, "main"]);
    expect(parsePath(" a_b-c[12] ")).toEqual(["a_b-c", 12]);
  });

  test.each(["", "a.", ".a", "a..b", "a[01]", "a[-1]", "a['x']", "a[b]", "a()", "a b", "1a", "$a", "a.__proto__", "constructor", "a.prototype", "__proto__.x", "a[0]x"])(
    "refuses %j",
    (path) => {
      expect(() => parsePath(path)).toThrow(TemplateError);
    },
  );
});

describe("renderText", () => {
  test("resolves every placeholder form", () => {
    expect(renderText("${input.city}|{{count}}|${config.units}|${secrets.API_KEY}|${units}|${API_KEY}|${steps.extract.output.text}|${steps.extract.output.items[0].id}", ctx)).toBe(
      "São Paulo|3|metric|sk_live_SECRET|metric|sk_live_SECRET|hello|7",
    );
  });

  test("a bare name prefers config over secrets", () => {
    expect(renderText("${shared}", ctx)).toBe("from-config");
  });

  test("objects become JSON, null becomes empty, whitespace inside braces is allowed", () => {
    expect(renderText("${ input.nested }/{{ tags }}/[${input.nothing}]", ctx)).toBe('{"deep":{"v":1}}/["a","b"]/[]');
  });

  test("text without placeholders is returned unchanged, including lone $ and {", () => {
    expect(renderText("costs $5 {or} } $ {", ctx)).toBe("costs $5 {or} } $ {");
  });

  test("a missing value is an error naming the placeholder, not a value", () => {
    expect(() => renderText("${input.missing}", ctx)).toThrow("no value for ${input.missing}");
    expect(() => renderText("{{tags[5]}}", ctx)).toThrow(TemplateError);
    expect(() => renderText("${NOPE}", ctx)).toThrow(TemplateError);
    expect(() => renderText("${input.city", ctx)).toThrow(/unterminated/);
  });

  test.each([
    "${constructor.constructor('return process')()}",
    "${this.constructor.constructor('return process')()}",
    "${__proto__.polluted}",
    "${input.__proto__}",
    "{{input.__proto__}}",
    "{{__proto__}}",
    "${input.constructor.name}",
    "${config.prototype}",
    "${process.env.SECRET}",
    "${input.city.length}",
    "${input['city']}",
    "${`x`}",
    "${1+1}",
    "${input.city}${",
  ])("hostile template %j is refused or reads nothing", (template) => {
    expect(() => renderText(template, ctx)).toThrow(TemplateError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("inherited members are invisible even without forbidden names", () => {
    expect(() => renderText("${input.toString}", ctx)).toThrow(TemplateError);
    expect(() => renderText("{{hasOwnProperty}}", ctx)).toThrow(TemplateError);
    expect(() => renderText("${input.tags.length}", ctx)).toThrow(TemplateError);
  });

  test("getters are never invoked", () => {
    let called = false;
    const input = Object.defineProperty({}, "x", {
      enumerable: true,
      get() {
        called = true;
        return "y";
      },
    });
    expect(() => renderText("{{x}}", { input })).toThrow(TemplateError);
    expect(called).toBe(false);
  });
});

describe("renderUrl", () => {
  test("encodes path segments and query values", () => {
    expect(renderUrl("https://api.example.com/${BASE_PATH}/weather/{{city}}?q={{q}}&units=${config.units}&n={{count}}", ctx)).toBe(
      "https://api.example.com/v1/weather/S%C3%A3o%20Paulo?q=a%26b%3Dc%23d&units=metric&n=3",
    );
  });

  test("a traversal attempt stays inside its segment", () => {
    const url = renderUrl("https://api.example.com/users/{{path}}/profile", ctx);
    expect(url).toBe("https://api.example.com/users/..%2F..%2Fadmin/profile");
    expect(new URL(url).pathname).toBe("/users/..%2F..%2Fadmin/profile");
  });

  test("a value that is a whole dot segment is refused", () => {
    for (const value of ["..", "."]) {
      expect(() => renderUrl("https://api.example.com/a/{{v}}/b", { input: { v: value } })).toThrow(TemplateError);
      expect(() => renderUrl("https://api.example.com/a/{{v}}", { input: { v: value } })).toThrow(TemplateError);
    }
    // A value's "%" is encoded, so "%2e%2e" cannot become a dot segment; "..x" is an ordinary name.
    expect(renderUrl("https://api.example.com/a/{{v}}/b", { input: { v: "%2e%2e" } })).toBe("https://api.example.com/a/%252e%252e/b");
    expect(renderUrl("https://api.example.com/a/{{v}}", { input: { v: "..x" } })).toBe("https://api.example.com/a/..x");
  });

  test.each([
    "https://${input.host}/x",
    "https://{{host}}/x",
    "${input.host}/x",
    "https://api.example.com${input.path}",
    "https://api.example.com.{{host}}/x",
    "https://api.{{host}}/x",
    "https://api.example.com:{{count}}/x",
    "https://user:${secrets.API_KEY}@api.example.com/x",
    "https://api.example.com@{{host}}/x",
    "ftp://api.example.com/{{city}}",
    "file:///etc/{{city}}",
    "//api.example.com/{{city}}",
    "https://api.example.com\\{{host}}/x",
  ])("a template that could choose the host is refused: %s", (template) => {
    expect(() => renderUrl(template, ctx)).toThrow(TemplateError);
  });

  test("values that try to break out of the query or into the host are encoded", () => {
    const url = new URL(renderUrl("https://api.example.com/x?next={{v}}", { input: { v: "https://evil.example/@x#frag" } }));
    expect(url.host).toBe("api.example.com");
    expect(url.searchParams.get("next")).toBe("https://evil.example/@x#frag");
    expect(url.hash).toBe("");
  });

  test("objects cannot be placed in a URL", () => {
    expect(() => renderUrl("https://api.example.com/{{nested}}", ctx)).toThrow(/object or array/);
  });

  test("a literal URL without placeholders is normalised", () => {
    expect(renderUrl("https://API.example.com", ctx)).toBe("https://api.example.com/");
  });
});

describe("renderHeaders", () => {
  test("renders values, keeps names", () => {
    expect(renderHeaders({ Authorization: "Bearer ${secrets.API_KEY}", "X-City": "{{city}}", Accept: "application/json" }, ctx)).toEqual({
      Authorization: "Bearer sk_live_SECRET",
      "X-City": "São Paulo",
      Accept: "application/json",
    });
  });

  test.each(["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b", "a\x1bb"])("refuses header injection via a value %j without echoing it", (value) => {
    let error: unknown;
    try {
      renderHeaders({ "X-Name": "{{v}}" }, { input: { v: value }, secrets: { K: "sk_live_SECRET" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toContain("X-Name");
    expect((error as Error).message).not.toContain("Injected");
  });

  test("refuses bad names and object values", () => {
    expect(() => renderHeaders({ "X-${input.city}": "v" }, ctx)).toThrow(TemplateError);
    expect(() => renderHeaders({ "Bad Name": "v" }, ctx)).toThrow(TemplateError);
    expect(() => renderHeaders({ "X-Tags": "{{tags}}" }, ctx)).toThrow(TemplateError);
  });

  test("a tab is allowed", () => {
    expect(renderHeaders({ X: "a\t{{city}}" }, ctx)).toEqual({ X: "a\tSão Paulo" });
  });
});

describe("renderJsonBody", () => {
  test("a string that is exactly one placeholder keeps the value's JSON type", () => {
    const body = renderJsonBody(
      { n: "{{count}}", b: "${input.flag}", o: "${input.nested}", a: "{{tags}}", z: "{{nothing}}", s: "n={{count}}", lit: 5, list: ["{{city}}", { deep: "${steps.extract.output.items}" }] },
      ctx,
    );
    expect(body).toEqual({ n: 3, b: true, o: { deep: { v: 1 } }, a: ["a", "b"], z: null, s: "n=3", lit: 5, list: ["São Paulo", { deep: [{ id: 7 }] }] });
  });

  test("values are copies, not references into the context", () => {
    const body = renderJsonBody({ o: "${input.nested}" }, ctx) as { o: { deep: { v: number } } };
    body.o.deep.v = 99;
    expect((ctx.input as { nested: { deep: { v: number } } }).nested.deep.v).toBe(1);
  });

  test("text interpolation cannot break out of the JSON string", () => {
    const body = renderJsonBody({ msg: 'say "{{v}}"' }, { input: { v: '", "admin": true, "x": "' } });
    expect(JSON.parse(JSON.stringify(body))).toEqual({ msg: 'say "", "admin": true, "x": ""' });
  });

  test("a __proto__ key in the template stays a plain key and pollutes nothing", () => {
    const template = JSON.parse('{"__proto__": {"polluted": "{{city}}"}, "a": 1}');
    const body = renderJsonBody(template, ctx) as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(body, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(body)).toBe('{"__proto__":{"polluted":"São Paulo"},"a":1}');
  });

  test("hostile placeholders are refused", () => {
    expect(() => renderJsonBody({ x: "${constructor.constructor('return process')()}" }, ctx)).toThrow(TemplateError);
    expect(() => renderJsonBody({ x: "{{input.__proto__}}" }, ctx)).toThrow(TemplateError);
  });

  test("non-JSON templates and deep nesting are refused", () => {
    expect(() => renderJsonBody({ f: () => 1 }, ctx)).toThrow(TemplateError);
    expect(() => renderJsonBody(new Date(), ctx)).toThrow(TemplateError);
    let deep: unknown = "x";
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => renderJsonBody(deep, ctx)).toThrow(/nested too deeply/);
  });
});

describe("mapResponse", () => {
  const body = { data: { weather: [{ main: "Rain", temp: 12.5 }], name: "Paris", list: [1, 2] }, ok: true };

  test("maps safe paths and omits absent ones", () => {
    expect(mapResponse(body, { condition: "data.weather[0].main", temp: "data.weather[0].temp", city: "data.name", all: "data.list", ok: "ok", missing: "data.weather[3].main" })).toEqual({
      condition: "Rain",
      temp: 12.5,
      city: "Paris",
      all: [1, 2],
      ok: true,
    });
  });

  test("reads own properties only", () => {
    expect(mapResponse(body, { s: "data.name.length", t: "data.toString", h: "hasOwnProperty" })).toEqual({});
  });

  test.each(["__proto__", "data.__proto__", "constructor", "data.constructor.constructor", "data.prototype", "data['name']", "data.weather[0].main()"])(
    "refuses %j",
    (path) => {
      expect(() => mapResponse(body, { out: path })).toThrow(TemplateError);
    },
  );

  test("an output named __proto__ stays a plain key", () => {
    const out = mapResponse(body, JSON.parse('{"__proto__": "data.name"}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, "__proto__")).toBe(true);
  });

  test("mapped values are copies", () => {
    const out = mapResponse(body, { w: "data.weather" }) as { w: { main: string }[] };
    out.w[0]!.main = "Sun";
    expect(body.data.weather[0]!.main).toBe("Rain");
  });
});

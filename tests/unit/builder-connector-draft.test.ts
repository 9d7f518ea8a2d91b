// The API-connector draft: to the manifest's api/endpoints (validated by the registry with
// paths the form can place), the secrets each auth kind needs, path placeholders checked
// against inputs, and back from a manifest; tolerant of partial drafts.
import { describe, expect, it } from "vitest";
import {
  ConnectorDraftSchema,
  authSecrets,
  connectorToManifestFields,
  emptyConnector,
  emptyEndpoint,
  inputsUsed,
  manifestToConnector,
  pathPlaceholders,
  withEndpoint,
  type ConnectorAction,
  type ConnectorDraft,
} from "@/lib/builder/connector/connector-draft";
import { validateManifest } from "@/lib/registry/parse-manifest";

const actions: ConnectorAction[] = [
  {
    id: "get-repo",
    name: "Get a repository",
    inputs: [
      { name: "owner", type: "string", required: true },
      { name: "repo", type: "string", required: true },
    ],
    outputs: [
      { name: "stars", type: "number" },
      { name: "name", type: "string" },
    ],
  },
  { id: "create_issue", inputs: [{ name: "title", type: "string", required: true }], outputs: [{ name: "number", type: "integer" }] },
];

function draft(): ConnectorDraft {
  let c: ConnectorDraft = { ...emptyConnector(), baseUrl: "https://api.github.example.com/v3/" };
  c = { ...c, auth: { ...c.auth, kind: "bearer", tokenFrom: "GITHUB_TOKEN" } };
  c = withEndpoint(c, {
    ...emptyEndpoint("get-repo"),
    path: "/repos/{owner}/{repo}",
    query: [{ key: "per_page", value: "10" }],
    headers: [{ key: "Accept", value: "application/json" }],
    responseMapping: [
      { output: "stars", path: "stargazers_count" },
      { output: "name", path: "owner.login" },
    ],
  });
  c = withEndpoint(c, { ...emptyEndpoint("create_issue"), method: "POST", path: "/issues", body: '{ "title": "${input.title}", "labels": ["bot"] }', responseMapping: [{ output: "number", path: "number" }] });
  return c;
}

describe("connectorToManifestFields", () => {
  it("produces endpoints the registry accepts, in the actions' order, with {x} as the engine's {{x}}", () => {
    const { fields, errors, secrets } = connectorToManifestFields(draft(), actions);
    expect(errors).toEqual([]);
    expect(secrets).toEqual([{ key: "GITHUB_TOKEN", label: "Bearer token" }]);
    expect(fields.api).toEqual({ base_url: "https://api.github.example.com/v3/", auth: { type: "bearer", token_from: "GITHUB_TOKEN" } });
    expect(fields.endpoints.map((e) => e.id)).toEqual(["get-repo", "create_issue"]);
    expect(fields.endpoints[0]).toMatchObject({ method: "GET", path: "/repos/{{owner}}/{{repo}}", query: { per_page: "10" }, headers: { Accept: "application/json" }, response_mapping: { stars: "stargazers_count", name: "owner.login" } });
    expect(fields.endpoints[1]).toMatchObject({ method: "POST", body: { title: "${input.title}", labels: ["bot"] } });
    const report = validateManifest({ type: "api-connector", slug: "gh", name: "GitHub", version: "1.0.0", ...fields });
    expect(report.errors).toEqual([]);
    expect(report.needsConfig.map((c) => c.key)).toEqual(["GITHUB_TOKEN"]);
    expect(report.manifest?.allowed_domains).toEqual(["api.github.example.com"]);
  });

  it("checks {placeholders} in a path against the action's inputs", () => {
    const c = withEndpoint(draft(), { ...emptyEndpoint("get-repo"), path: "/repos/{owner}/{name}/{}" });
    const { errors } = connectorToManifestFields(c, actions);
    expect(errors).toContainEqual({ path: "endpoints[0].path", message: "{name} is not an input of get-repo; declare it or fix the name" });
    expect(errors).toContainEqual({ path: "endpoints[0].path", message: "an empty {} placeholder: write {input_name}" });
  });

  it("reports the registry's own errors at manifest paths (base URL, path, template references)", () => {
    const c = withEndpoint({ ...draft(), baseUrl: "not a url" }, { ...emptyEndpoint("get-repo"), path: "repos", query: [{ key: "q", value: "${input.nope}" }] });
    const paths = connectorToManifestFields(c, actions).errors.map((e) => e.path);
    expect(paths).toContain("api.base_url");
    expect(paths).toContain("endpoints[0].path");
    const refs = connectorToManifestFields(withEndpoint(draft(), { ...emptyEndpoint("get-repo"), query: [{ key: "q", value: "${input.nope}" }] }), actions).errors;
    expect(refs).toContainEqual({ path: "endpoints[0].query.q", message: 'unknown input "nope"' });
  });

  it("checks ${config.X} only when the configuration's keys are given", () => {
    const c = withEndpoint(draft(), { ...emptyEndpoint("get-repo"), headers: [{ key: "X-Region", value: "${config.REGION}" }] });
    expect(connectorToManifestFields(c, actions).errors).toEqual([]);
    expect(connectorToManifestFields(c, actions, { configKeys: ["REGION"] }).errors).toEqual([]);
    expect(connectorToManifestFields(c, actions, { configKeys: [] }).errors.map((e) => e.path)).toEqual(["endpoints[0].headers.X-Region"]);
  });

  it("refuses a body that is not JSON, nameless pairs, bad header names and bad mappings", () => {
    const c = withEndpoint(draft(), {
      ...emptyEndpoint("get-repo"),
      body: "{ title: x }",
      query: [{ key: "", value: "1" }],
      headers: [{ key: "Bad Header", value: "x" }],
      responseMapping: [
        { output: "stars", path: "a..b" },
        { output: "nope", path: "x" },
        { output: "", path: "y" },
      ],
    });
    const paths = connectorToManifestFields(c, actions).errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "endpoints[0].body",
        "endpoints[0].query[0].key",
        "endpoints[0].headers[0].key",
        "endpoints[0].responseMapping[0].path",
        "endpoints[0].responseMapping[1].output",
        "endpoints[0].responseMapping[2].output",
      ]),
    );
  });

  it("names the secrets of every auth kind and checks their keys and fields", () => {
    const base = emptyConnector().auth;
    expect(authSecrets({ ...base, kind: "none" })).toEqual([]);
    expect(authSecrets({ ...base, kind: "api_key" }).map((s) => s.key)).toEqual(["API_KEY"]);
    expect(authSecrets({ ...base, kind: "basic" }).map((s) => s.key)).toEqual(["USERNAME", "PASSWORD"]);
    expect(authSecrets({ ...base, kind: "oauth2" }).map((s) => s.key)).toEqual(["CLIENT_ID", "CLIENT_SECRET"]);
    const bad = connectorToManifestFields({ ...draft(), auth: { ...base, kind: "api_key", name: " ", keyFrom: "my key" } }, actions).errors;
    expect(bad).toContainEqual(expect.objectContaining({ path: "api.auth.keyFrom" }));
    expect(bad).toContainEqual(expect.objectContaining({ path: "api.auth.name" }));
    const oauth = connectorToManifestFields({ ...draft(), auth: { ...base, kind: "oauth2", tokenUrl: "" } }, actions).errors;
    expect(oauth).toContainEqual(expect.objectContaining({ path: "api.auth.tokenUrl" }));
    const ok = connectorToManifestFields({ ...draft(), auth: { ...base, kind: "oauth2", tokenUrl: "https://auth.example.com/token", scopes: ["repo", " "] } }, actions);
    expect(ok.errors).toEqual([]);
    expect(ok.fields.api.auth).toEqual({ type: "oauth2", flow: "client_credentials", token_url: "https://auth.example.com/token", client_id_from: "CLIENT_ID", client_secret_from: "CLIENT_SECRET", scopes: ["repo"] });
  });

  it("asks for a base URL and an action when they are missing", () => {
    const { errors } = connectorToManifestFields(emptyConnector(), []);
    expect(errors.map((e) => e.path)).toEqual(["api.base_url", "endpoints"]);
  });
});

describe("manifestToConnector", () => {
  it("round-trips a draft through the manifest", () => {
    const d = draft();
    const { fields } = connectorToManifestFields(d, actions);
    const back = manifestToConnector({ type: "api-connector", ...fields });
    expect(back.baseUrl).toBe(d.baseUrl);
    expect(back.auth.kind).toBe("bearer");
    expect(back.auth.tokenFrom).toBe("GITHUB_TOKEN");
    expect(back.endpoints[0]).toEqual({ ...d.endpoints[0] });
    expect(back.endpoints[1]!.body && JSON.parse(back.endpoints[1]!.body)).toEqual({ title: "${input.title}", labels: ["bot"] });
    expect(connectorToManifestFields(back, actions).fields).toEqual(fields);
  });

  it("reads the seed's spellings (capability wrapper, top-level base_url/auth, ${input.x} paths)", () => {
    const back = manifestToConnector({ capability: { base_url: "https://x.example.com", auth: { type: "api_key", in: "query", name: "key" }, endpoints: [{ id: "a", method: "post", path: "/u/${input.id}" }] } });
    expect(back.baseUrl).toBe("https://x.example.com");
    expect(back.auth).toMatchObject({ kind: "api_key", in: "query", name: "key", keyFrom: "API_KEY" });
    expect(back.endpoints[0]).toMatchObject({ actionId: "a", method: "POST", path: "/u/{id}" });
  });

  it("gives an empty draft for anything else, and the schema tolerates partial drafts", () => {
    expect(manifestToConnector(null)).toEqual(emptyConnector());
    expect(manifestToConnector("x")).toEqual(emptyConnector());
    const partial = ConnectorDraftSchema.parse({ baseUrl: 3, auth: { kind: "weird" }, endpoints: [{ actionId: "a", method: "TRACE" }] });
    expect(partial.auth.kind).toBe("none");
    expect(partial.baseUrl).toBe("");
    expect(partial.endpoints[0]).toEqual({ ...emptyEndpoint("a") });
    expect(ConnectorDraftSchema.parse({})).toEqual(emptyConnector());
  });
});

describe("placeholders", () => {
  it("finds {x} in paths but not {{x}} or ${x}, and the inputs an endpoint uses", () => {
    expect(pathPlaceholders("/a/{x}/{{y}}/${z}/{ w }")).toEqual(["x", "w"]);
    expect(inputsUsed({ ...emptyEndpoint("a"), path: "/a/{x}", query: [{ key: "q", value: "${input.q}" }], body: '{"b":"{{b}}"}' }).sort()).toEqual(["b", "q", "x"]);
  });
});

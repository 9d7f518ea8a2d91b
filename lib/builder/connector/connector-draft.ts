// The API-connector part of a builder draft: what the connector form edits (base URL, auth
// kind, one endpoint per action with method, path, query, headers, body template and
// response mapping), its translation into the manifest's `api` and `endpoints`, and back.
// Validation is the registry's own (validateManifest on the produced fields), plus what only
// the form knows: `{name}` placeholders in a path must be declared inputs, the body must be
// JSON, a mapping must name a declared output. Every error has a manifest path
// (`api.base_url`, `endpoints[0].path`, `endpoints[0].query.limit`…) the form places under
// its field. The schema is tolerant: an old or partial draft parses to usable defaults.
// Pure: no I/O.
import { z } from "zod";
import type { ManifestInput } from "../../registry/manifest-schema";
import { HTTP_METHODS } from "../../registry/manifest-schema";
import { validateManifest } from "../../registry/parse-manifest";

export const AUTH_KINDS = ["none", "api_key", "bearer", "basic", "oauth2"] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

const PairSchema = z.object({ key: z.string().catch(""), value: z.string().catch("") });
export type TemplatePair = z.infer<typeof PairSchema>;

const MappingSchema = z.object({ output: z.string().catch(""), path: z.string().catch("") });

export const EndpointDraftSchema = z.object({
  /** The action this endpoint implements (its id is the endpoint id). */
  actionId: z.string().catch(""),
  method: z.enum(HTTP_METHODS).catch("GET"),
  /** Relative to the base URL; `{name}` is the input `name`, URL-encoded. */
  path: z.string().catch("/"),
  query: z.array(PairSchema).catch([]),
  headers: z.array(PairSchema).catch([]),
  /** A JSON template (text); empty for no body. */
  body: z.string().catch(""),
  responseMapping: z.array(MappingSchema).catch([]),
});
export type EndpointDraft = z.infer<typeof EndpointDraftSchema>;

const AUTH_DEFAULTS = {
  kind: "none" as AuthKind,
  in: "header" as "header" | "query",
  name: "X-API-Key",
  keyFrom: "API_KEY",
  tokenFrom: "API_TOKEN",
  usernameFrom: "USERNAME",
  passwordFrom: "PASSWORD",
  tokenUrl: "",
  clientIdFrom: "CLIENT_ID",
  clientSecretFrom: "CLIENT_SECRET",
  scopes: [] as string[],
};

export const AuthDraftSchema = z.object({
  kind: z.enum(AUTH_KINDS).catch("none"),
  /** api_key: where the key goes and under which header or query name. */
  in: z.enum(["header", "query"]).catch("header"),
  name: z.string().catch(AUTH_DEFAULTS.name),
  /** The configuration keys (secrets) the credentials come from. */
  keyFrom: z.string().catch(AUTH_DEFAULTS.keyFrom),
  tokenFrom: z.string().catch(AUTH_DEFAULTS.tokenFrom),
  usernameFrom: z.string().catch(AUTH_DEFAULTS.usernameFrom),
  passwordFrom: z.string().catch(AUTH_DEFAULTS.passwordFrom),
  /** oauth2 client credentials. */
  tokenUrl: z.string().catch(""),
  clientIdFrom: z.string().catch(AUTH_DEFAULTS.clientIdFrom),
  clientSecretFrom: z.string().catch(AUTH_DEFAULTS.clientSecretFrom),
  scopes: z.array(z.string()).catch([]),
});
export type AuthDraft = z.infer<typeof AuthDraftSchema>;

export const ConnectorDraftSchema = z.object({
  baseUrl: z.string().catch(""),
  auth: AuthDraftSchema.catch({ ...AUTH_DEFAULTS }),
  endpoints: z.array(EndpointDraftSchema).catch([]),
});
export type ConnectorDraft = z.infer<typeof ConnectorDraftSchema>;

export interface ConnectorAction {
  id: string;
  name?: string;
  description?: string;
  inputs: { name: string; type: string; required?: boolean; description?: string }[];
  outputs?: { name: string; type: string; required?: boolean; description?: string }[];
}

export interface ConnectorError {
  path: string;
  message: string;
}

/** A configuration requirement the auth implies: a required secret the installer enters. */
export interface ConnectorSecret {
  key: string;
  label: string;
}

export interface ConnectorFields {
  api: { base_url: string; auth: Record<string, unknown> };
  endpoints: Record<string, unknown>[];
}

export function emptyConnector(): ConnectorDraft {
  return { baseUrl: "", auth: { ...AUTH_DEFAULTS, scopes: [] }, endpoints: [] };
}

export function emptyEndpoint(actionId: string): EndpointDraft {
  return { actionId, method: "GET", path: "/", query: [], headers: [], body: "", responseMapping: [] };
}

/** The draft's endpoint for an action (a default one when it has none yet). */
export function endpointFor(c: ConnectorDraft, actionId: string): EndpointDraft {
  return c.endpoints.find((e) => e.actionId === actionId) ?? emptyEndpoint(actionId);
}

/** The draft with an action's endpoint replaced (added when it had none). */
export function withEndpoint(c: ConnectorDraft, endpoint: EndpointDraft): ConnectorDraft {
  const i = c.endpoints.findIndex((e) => e.actionId === endpoint.actionId);
  return { ...c, endpoints: i < 0 ? [...c.endpoints, endpoint] : c.endpoints.map((e, j) => (j === i ? endpoint : e)) };
}

/** The secrets an auth kind needs, each with the form field it is named in. */
function authSecretFields(auth: AuthDraft): (ConnectorSecret & { field: keyof AuthDraft })[] {
  const pick = (field: keyof AuthDraft, label: string) => ({ key: String(auth[field]).trim(), label, field });
  switch (auth.kind) {
    case "api_key":
      return [pick("keyFrom", "API key")];
    case "bearer":
      return [pick("tokenFrom", "Bearer token")];
    case "basic":
      return [pick("usernameFrom", "Username"), pick("passwordFrom", "Password")];
    case "oauth2":
      return [pick("clientIdFrom", "OAuth client id"), pick("clientSecretFrom", "OAuth client secret")];
    default:
      return [];
  }
}

/** The secrets an auth kind needs (required secrets of the configuration), in the form's order. */
export function authSecrets(auth: AuthDraft): ConnectorSecret[] {
  return authSecretFields(auth).map(({ key, label }) => ({ key, label }));
}

/** `{id}` in a path (not `{{id}}` or `${…}`): the placeholders the form offers. */
const PATH_PLACEHOLDER = /(?<![{$]){([^{}]*)}(?!})/g;

export function pathPlaceholders(path: string): string[] {
  return [...path.matchAll(PATH_PLACEHOLDER)].map((m) => m[1]!.trim());
}

/** The inputs an endpoint refers to (path placeholders and `${input.x}`/`{{x}}` anywhere). */
export function inputsUsed(e: EndpointDraft): string[] {
  const used = new Set(pathPlaceholders(e.path));
  const texts = [e.path, ...e.query.map((p) => p.value), ...e.headers.map((p) => p.value), e.body];
  for (const t of texts) {
    for (const m of t.matchAll(/\$\{\s*inputs?\.([A-Za-z_][A-Za-z0-9_-]*)[^}]*\}|\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)[^}]*\}\}/g)) used.add((m[1] ?? m[2])!);
  }
  return [...used];
}

const authToManifest = (a: AuthDraft): Record<string, unknown> => {
  switch (a.kind) {
    case "api_key":
      return { type: "api_key", in: a.in, name: a.name.trim(), value_from: a.keyFrom.trim() };
    case "bearer":
      return { type: "bearer", token_from: a.tokenFrom.trim() };
    case "basic":
      return { type: "basic", username_from: a.usernameFrom.trim(), password_from: a.passwordFrom.trim() };
    case "oauth2":
      return {
        type: "oauth2",
        flow: "client_credentials",
        token_url: a.tokenUrl.trim(),
        client_id_from: a.clientIdFrom.trim(),
        client_secret_from: a.clientSecretFrom.trim(),
        scopes: a.scopes.map((s) => s.trim()).filter(Boolean),
      };
    default:
      return { type: "none" };
  }
};

/** Path errors of the schema come back as `api.auth.value_from`; the form's names are its own. */
const AUTH_FIELD_PATHS: Record<string, string> = {
  value_from: "api.auth.keyFrom",
  token_from: "api.auth.tokenFrom",
  username_from: "api.auth.usernameFrom",
  password_from: "api.auth.passwordFrom",
  client_id_from: "api.auth.clientIdFrom",
  client_secret_from: "api.auth.clientSecretFrom",
  token_url: "api.auth.tokenUrl",
  name: "api.auth.name",
};

const pairsToMap = (pairs: TemplatePair[]) => {
  const kept = pairs.filter((p) => p.key.trim() !== "" || p.value.trim() !== "");
  return kept.length ? Object.fromEntries(kept.map((p) => [p.key.trim(), p.value])) : undefined;
};

const SECRET_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The manifest's `api` and `endpoints` for the draft, one endpoint per action (in the
 * actions' order, so `endpoints[i]` is `actions[i]`), with every error the registry or the
 * form finds, and the secrets the auth needs (B adds them to the configuration step).
 * `configKeys` (the configuration's keys) lets `${config.X}` references be checked; without
 * it they are not.
 */
export function connectorToManifestFields(
  c: ConnectorDraft,
  actions: ConnectorAction[],
  options: { configKeys?: string[] } = {},
): { fields: ConnectorFields; errors: ConnectorError[]; secrets: ConnectorSecret[] } {
  const errors: ConnectorError[] = [];
  const secrets = authSecrets(c.auth);
  const baseUrl = c.baseUrl.trim();
  if (!baseUrl) errors.push({ path: "api.base_url", message: "enter the API's base URL, e.g. https://api.example.com/v1" });
  for (const s of authSecretFields(c.auth)) {
    if (!SECRET_KEY.test(s.key)) errors.push({ path: `api.auth.${s.field}`, message: "use letters, digits and _, starting with a letter or _ (a configuration key)" });
  }
  if (c.auth.kind === "api_key" && !c.auth.name.trim()) errors.push({ path: "api.auth.name", message: `enter the ${c.auth.in === "query" ? "query parameter" : "header"} name` });
  if (c.auth.kind === "oauth2" && !c.auth.tokenUrl.trim()) errors.push({ path: "api.auth.tokenUrl", message: "enter the token URL of the client-credentials flow" });

  const endpoints = actions.map((a, i) => {
    const e = endpointFor(c, a.id);
    const inputs = new Set(a.inputs.map((f) => f.name));
    const outputs = new Set((a.outputs ?? []).map((f) => f.name));
    const path = e.path.trim();
    for (const name of pathPlaceholders(path)) {
      if (!name) errors.push({ path: `endpoints[${i}].path`, message: "an empty {} placeholder: write {input_name}" });
      else if (!inputs.has(name)) errors.push({ path: `endpoints[${i}].path`, message: `{${name}} is not an input of ${a.id}; declare it or fix the name` });
    }
    let body: unknown;
    if (e.body.trim()) {
      try {
        body = JSON.parse(e.body);
      } catch (err) {
        errors.push({ path: `endpoints[${i}].body`, message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
    e.query.forEach((p, j) => {
      if (!p.key.trim() && p.value.trim()) errors.push({ path: `endpoints[${i}].query[${j}].key`, message: "name this query parameter" });
    });
    e.headers.forEach((p, j) => {
      if (!p.key.trim() && p.value.trim()) errors.push({ path: `endpoints[${i}].headers[${j}].key`, message: "name this header" });
      else if (p.key.trim() && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(p.key.trim())) errors.push({ path: `endpoints[${i}].headers[${j}].key`, message: "not a valid header name" });
    });
    const mapping = e.responseMapping.filter((m) => m.output.trim() !== "" || m.path.trim() !== "");
    mapping.forEach((m, j) => {
      if (!m.output.trim()) errors.push({ path: `endpoints[${i}].responseMapping[${j}].output`, message: "choose the output this value goes to" });
      else if (outputs.size && !outputs.has(m.output.trim())) errors.push({ path: `endpoints[${i}].responseMapping[${j}].output`, message: `${m.output.trim()} is not an output of ${a.id}` });
      if (!m.path.trim()) errors.push({ path: `endpoints[${i}].responseMapping[${j}].path`, message: "enter where the value is in the response, e.g. data.items[0].name" });
      else if (!/^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[(?:0|[1-9][0-9]{0,8})\])*$/.test(m.path.trim())) {
        errors.push({ path: `endpoints[${i}].responseMapping[${j}].path`, message: "a path of names, .name and [0], e.g. data.items[0].name" });
      }
    });
    const endpoint: Record<string, unknown> = {
      id: a.id,
      ...(a.name ? { name: a.name } : {}),
      ...(a.description ? { description: a.description } : {}),
      method: e.method,
      // `{name}` is the form's spelling; the template engine's is `{{name}}` (an input, URL-encoded).
      path: path.replace(PATH_PLACEHOLDER, (_, name: string) => `{{${name.trim()}}}`),
      inputs: a.inputs,
      outputs: a.outputs ?? [],
    };
    const query = pairsToMap(e.query);
    const headers = pairsToMap(e.headers);
    if (query) endpoint.query = query;
    if (headers) endpoint.headers = headers;
    if (body !== undefined) endpoint.body = body;
    if (mapping.length) endpoint.response_mapping = Object.fromEntries(mapping.map((m) => [m.output.trim(), m.path.trim()]));
    return endpoint;
  });
  if (!actions.length) errors.push({ path: "endpoints", message: "add an action: each action is one endpoint of the API" });

  const fields: ConnectorFields = { api: { base_url: baseUrl, auth: authToManifest(c.auth) }, endpoints };

  // The registry is the judge of the rest (URL, methods, identifiers, template references).
  if (actions.length) {
    const declared = new Set([...(options.configKeys ?? []), ...secrets.map((s) => s.key)]);
    const probe = {
      type: "api-connector",
      slug: "connector-draft",
      name: "Connector draft",
      version: "0.0.0",
      ...fields,
      configuration: [...declared].filter((k) => SECRET_KEY.test(k)).map((key) => ({ key, type: "string" })),
    } as unknown as ManifestInput;
    const report = validateManifest(probe);
    const known = new Set(errors.map((e) => `${e.path}\u0000${e.message}`));
    for (const e of report.errors) {
      if (!e.path.startsWith("api") && !e.path.startsWith("endpoints")) continue;
      // Without the configuration's keys, a ${config.X} reference cannot be judged.
      if (options.configKeys === undefined && /unknown configuration key/.test(e.message)) continue;
      const path = e.path.replace(/^api\.auth\.([a-z_]+)/, (whole, f: string) => AUTH_FIELD_PATHS[f] ?? whole);
      if (/^endpoints\[\d+\]\.path$/.test(path) && errors.some((x) => x.path === path)) continue;
      if (!known.has(`${path}\u0000${e.message}`)) errors.push({ path, message: e.message });
    }
  }
  return { fields, errors, secrets };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback: string) => (typeof v === "string" ? v : fallback);
const mapToPairs = (v: unknown): TemplatePair[] => (isObject(v) ? Object.entries(v).map(([key, value]) => ({ key, value: String(value) })) : []);

/**
 * The draft of an api-connector manifest (a validated one, or a draft's raw object): base
 * URL, auth and one endpoint per manifest endpoint (its id is the action id). `{{x}}` and
 * `${input.x}` in a path become the form's `{x}`. Anything else gives an empty draft.
 */
export function manifestToConnector(manifest: unknown): ConnectorDraft {
  const draft = emptyConnector();
  if (!isObject(manifest)) return draft;
  const m = isObject(manifest.capability) ? manifest.capability : manifest;
  const api = isObject(m.api) ? m.api : { base_url: m.base_url, auth: m.auth };
  draft.baseUrl = str(api.base_url, "");
  const auth = isObject(api.auth) ? api.auth : { type: "none" };
  const a = draft.auth;
  switch (auth.type) {
    case "api_key":
      Object.assign(a, { kind: "api_key", in: auth.in === "query" ? "query" : "header", name: str(auth.name, a.name), keyFrom: str(auth.value_from, a.keyFrom) });
      break;
    case "bearer":
      Object.assign(a, { kind: "bearer", tokenFrom: str(auth.token_from, a.tokenFrom) });
      break;
    case "basic":
      Object.assign(a, { kind: "basic", usernameFrom: str(auth.username_from, a.usernameFrom), passwordFrom: str(auth.password_from, a.passwordFrom) });
      break;
    case "oauth2":
      Object.assign(a, {
        kind: "oauth2",
        tokenUrl: str(auth.token_url, ""),
        clientIdFrom: str(auth.client_id_from, a.clientIdFrom),
        clientSecretFrom: str(auth.client_secret_from, a.clientSecretFrom),
        scopes: Array.isArray(auth.scopes) ? auth.scopes.filter((s): s is string => typeof s === "string") : [],
      });
      break;
  }
  const endpoints = Array.isArray(m.endpoints) ? m.endpoints.filter(isObject) : [];
  draft.endpoints = endpoints
    .filter((e) => typeof e.id === "string")
    .map((e) =>
      EndpointDraftSchema.parse({
        actionId: e.id,
        method: typeof e.method === "string" ? e.method.toUpperCase() : "GET",
        path: str(e.path, "/").replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}|\$\{\s*inputs?\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}/g, (_, x?: string, y?: string) => `{${x ?? y}}`),
        query: mapToPairs(e.query),
        headers: mapToPairs(e.headers),
        body: e.body === undefined ? "" : JSON.stringify(e.body, null, 2),
        responseMapping: isObject(e.response_mapping) ? Object.entries(e.response_mapping).map(([output, path]) => ({ output, path: String(path) })) : [],
      }),
    );
  return draft;
}

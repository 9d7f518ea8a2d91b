// The bootstrap: plain JavaScript that runs inside a fresh context before any plugin code.
// It captures the built-ins it needs (so a plugin that later replaces JSON.stringify,
// Function.prototype.call or Array.prototype.join cannot subvert it), removes globals a
// plugin must not have, and returns the runner function — through a Reference held only
// by the host, never placed on the global object. The host's log callback and the host-call
// Reference live only in this closure: plugin code sees ctx.log, ctx.fetch and ctx.kv,
// ordinary functions of its own context that pass JSON strings to the host and build their
// results from JSON strings inside the isolate. The host checks every call again.
//
// Arguments ($0…$4 of evalClosure): the host log callback, the UTF-16 length above which
// an output is refused, the log line limit, the log character limit, and the host-call
// Reference (an async host function (op, payloadJson) → tagged string; undefined when the
// runner offers no host APIs, as runInSandbox does).
// The runner is run(namespace, action, inputJson, configJson, secretsJson, features), where
// features is a string: "f" puts ctx.fetch on ctx, "k" puts ctx.kv.
// The runner returns a string whose first character says what happened:
//   "o" + JSON  output (JSON of the returned value, "null" for undefined)
//   "e" + JSON  the action threw: { name, message, stack }
//   "j" + JSON  the returned value could not be serialised: { name, message, stack }
//   "b" + n     the output was n characters long, over the limit
//   "u"         no such action (own, callable property of default.actions)
//   "m"         the module has no `export default { actions: { … } }`
// A host call answers "o" + JSON (the result) or "e" + JSON { code, message } (refused).

export const BOOTSTRAP_SOURCE = String.raw`
"use strict";
const hostLog = $0, OUTPUT_LIMIT = $1, LOG_LINES = $2, LOG_CHARS = $3, hostRef = $4;
const G = globalThis;
const ObjectFreeze = Object.freeze, ObjectHasOwn = Object.hasOwn, ObjectKeys = Object.keys;
const ObjectGetPrototypeOf = Object.getPrototypeOf, ObjectCreate = Object.create;
const ObjectDefineProperty = Object.defineProperty;
const ReflectApply = Reflect.apply, ArrayIsArray = Array.isArray;
const JSONparse = JSON.parse, JSONstringify = JSON.stringify;
const StringCtor = String, NumberIsFinite = Number.isFinite;
const MathSqrt = Math.sqrt, MathFloor = Math.floor, MathCeil = Math.ceil;
const uncurry = (fn) => (self, ...args) => ReflectApply(fn, self, args);
const ArrayPush = uncurry(Array.prototype.push), ArrayJoin = uncurry(Array.prototype.join);
const ArraySort = uncurry(Array.prototype.sort), ArraySlice = uncurry(Array.prototype.slice);
const StringSlice = uncurry(String.prototype.slice), StringTrim = uncurry(String.prototype.trim);
const StringIncludes = uncurry(String.prototype.includes);
const ErrorCtor = Error, TypeErrorCtor = TypeError;
// Captured now: the plugin never reaches the Reference, its prototype or these options
// (null-prototype and frozen, so a polluted Object.prototype cannot add transfer options).
const hostApply = hostRef !== undefined ? hostRef.apply : undefined;
const HOST_CALL_OPTIONS = ObjectFreeze({ __proto__: null, result: ObjectFreeze({ __proto__: null, promise: true, copy: true }) });
const HOST_PAYLOAD_LIMIT = 2 * 1024 * 1024;

// Globals a plugin has no business with. An isolate has no require, process, Buffer,
// timers or fetch to begin with. SharedArrayBuffer and Atomics go with them, and so does
// WebAssembly: a WebAssembly.Memory is not counted against the isolate's memoryLimit
// (measured: a 64 MB isolate grew one to 4 GB of address space), so it cannot be bounded.
for (const name of ["SharedArrayBuffer", "Atomics", "WebAssembly"]) {
  try { delete G[name]; } catch {}
}

function deepFreeze(value) {
  if (value !== null && typeof value === "object") {
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) deepFreeze(value[keys[i]]);
    ObjectFreeze(value);
  }
  return value;
}

function clip(s, n) { return s.length > n ? StringSlice(s, 0, n) + "…" : s; }

function format(v) {
  switch (typeof v) {
    case "string": return v;
    case "function": return "[function]";
    case "object":
      if (v === null) return "null";
      try {
        if (v instanceof ErrorCtor) { const st = v.stack; if (typeof st === "string") return st; }
      } catch {}
      try { const j = JSONstringify(v); if (typeof j === "string") return j; } catch {}
      try { return StringCtor(v); } catch { return "[object]"; }
    default:
      try { return StringCtor(v); } catch { return "[value]"; }
  }
}

let logOpen = true;
function log(...args) {
  if (!logOpen) return;
  const parts = [];
  for (let i = 0; i < args.length; i++) ArrayPush(parts, format(args[i]));
  const line = clip(ArrayJoin(parts, " "), LOG_CHARS);
  // The host keeps the count (LOG_LINES lines, LOG_CHARS bytes); it answers false once
  // the log is full and it has written the truncation marker.
  if (hostLog(line) !== true) logOpen = false;
}

// ctx.utils: pure helpers that run inside the isolate.
function parseCSV(text, options) {
  text = StringCtor(text);
  const firstLine = StringSlice(text, 0, (text.indexOf("\n") + 1 || text.length + 1) - 1);
  const sep = options && typeof options.separator === "string" ? options.separator
    : (StringIncludes(firstLine, ";") && !StringIncludes(firstLine, ",") ? ";" : ",");
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { ArrayPush(row, field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      ArrayPush(row, field); field = "";
      if (row.length > 1 || row[0] !== "") ArrayPush(rows, row);
      row = [];
    } else field += c;
  }
  ArrayPush(row, field);
  if (row.length > 1 || row[0] !== "") ArrayPush(rows, row);
  if (options && options.header === false) return rows;
  const header = rows[0] || [];
  const names = [];
  for (let i = 0; i < header.length; i++) ArrayPush(names, StringTrim(header[i]));
  const out = [];
  for (let r = 1; r < rows.length; r++) {
    const obj = ObjectCreate(null);
    for (let i = 0; i < names.length; i++) obj[names[i]] = rows[r][i] === undefined ? "" : rows[r][i];
    ArrayPush(out, obj);
  }
  return out;
}
function numbers(values) {
  if (!ArrayIsArray(values)) throw new TypeError("expected an array of numbers");
  const out = [];
  for (let i = 0; i < values.length; i++) {
    const n = typeof values[i] === "number" ? values[i] : Number(values[i]);
    if (NumberIsFinite(n)) ArrayPush(out, n);
  }
  return out;
}
function sorted(values) { return ArraySort(ArraySlice(numbers(values)), (a, b) => a - b); }
function quantile(s, q) {
  if (s.length === 0) return NaN;
  const p = (s.length - 1) * q, lo = MathFloor(p), hi = MathCeil(p);
  return s[lo] + (s[hi] - s[lo]) * (p - lo);
}
function mean(values) {
  const v = numbers(values);
  if (v.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i];
  return sum / v.length;
}
function median(values) { return quantile(sorted(values), 0.5); }
function standardDeviation(values) {
  const v = numbers(values);
  if (v.length < 2) return 0;
  const m = mean(v);
  let acc = 0;
  for (let i = 0; i < v.length; i++) acc += (v[i] - m) * (v[i] - m);
  return MathSqrt(acc / (v.length - 1));
}
function findOutliers(values, k) {
  const s = sorted(values);
  const q1 = quantile(s, 0.25), q3 = quantile(s, 0.75), iqr = q3 - q1;
  const f = typeof k === "number" ? k : 1.5;
  const out = [];
  for (let i = 0; i < s.length; i++) if (s[i] < q1 - f * iqr || s[i] > q3 + f * iqr) ArrayPush(out, s[i]);
  return out;
}
// console.* writes to the same bounded log as ctx.log (the isolate's own console goes nowhere).
try {
  G.console = ObjectFreeze({ log, info: log, warn: log, error: log, debug: log });
} catch {}
const utils = ObjectFreeze({ parseCSV, mean, median, standardDeviation, findOutliers });
ObjectFreeze(log);

// ctx.fetch and ctx.kv: each call sends one JSON string to the host and gets one back.
function hostError(code, message) {
  const e = new ErrorCtor(message);
  ObjectDefineProperty(e, "name", { __proto__: null, value: "HostApiError", writable: true, configurable: true });
  ObjectDefineProperty(e, "code", { __proto__: null, value: code, writable: true, enumerable: true, configurable: true });
  return e;
}
async function hostCall(op, payload) {
  if (hostApply === undefined) throw hostError("unavailable", "this host API is not available");
  if (payload.length > HOST_PAYLOAD_LIMIT) throw hostError("payload_too_large", "the request is larger than " + HOST_PAYLOAD_LIMIT + " characters");
  let reply;
  try {
    reply = await ReflectApply(hostApply, hostRef, [undefined, [op, payload], HOST_CALL_OPTIONS]);
  } catch {
    throw hostError("host_error", "the host call failed");
  }
  if (typeof reply !== "string" || reply.length === 0) throw hostError("host_error", "the host call failed");
  const body = StringSlice(reply, 1);
  if (reply[0] === "o") return JSONparse(body);
  let info;
  try { info = JSONparse(body); } catch { info = null; }
  const code = info !== null && typeof info === "object" && typeof info.code === "string" ? info.code : "host_error";
  const message = info !== null && typeof info === "object" && typeof info.message === "string" ? info.message : "the host call failed";
  throw hostError(code, message);
}

function headerRecord(h) {
  const out = ObjectCreate(null);
  if (h === undefined || h === null) return out;
  if (typeof h !== "object") throw new TypeErrorCtor("init.headers must be an object of strings");
  const keys = ObjectKeys(h);
  for (let i = 0; i < keys.length; i++) {
    const v = h[keys[i]];
    if (v !== undefined && v !== null) out[keys[i]] = StringCtor(v);
  }
  return out;
}

async function fetch(url, init) {
  const req = ObjectCreate(null);
  req.url = StringCtor(url);
  if (init !== undefined && init !== null && typeof init !== "object") throw new TypeErrorCtor("init must be an object");
  const o = init === undefined || init === null ? ObjectCreate(null) : init;
  const method = o.method;
  req.method = method === undefined || method === null ? "GET" : StringCtor(method);
  req.headers = headerRecord(o.headers);
  const body = o.body;
  if (body !== undefined && body !== null) {
    if (typeof body !== "string") throw new TypeErrorCtor("init.body must be a string (use JSON.stringify)");
    req.body = body;
  }
  const r = await hostCall("fetch", JSONstringify(req));
  const status = r.status, text = r.body;
  const headers = ObjectCreate(null);
  const names = ObjectKeys(r.headers);
  for (let i = 0; i < names.length; i++) headers[names[i]] = StringCtor(r.headers[names[i]]);
  return ObjectFreeze({
    ok: status >= 200 && status < 300,
    status,
    headers: ObjectFreeze(headers),
    url: r.url,
    text: () => text,
    json: () => JSONparse(text),
  });
}

function kvKey(key) {
  if (typeof key !== "string") throw new TypeErrorCtor("a kv key must be a string");
  return key;
}
const kv = ObjectFreeze({
  async get(key) {
    const r = await hostCall("kv.get", JSONstringify({ __proto__: null, key: kvKey(key) }));
    return r.found === true ? r.value : undefined;
  },
  async set(key, value) {
    const k = kvKey(key);
    let text;
    try { text = JSONstringify(value); } catch (e) { throw new TypeErrorCtor("the value cannot be serialised as JSON"); }
    if (typeof text !== "string") throw new TypeErrorCtor("the value must be JSON data (not undefined or a function)");
    await hostCall("kv.set", JSONstringify({ __proto__: null, key: k, value: text }));
  },
  async delete(key) {
    const r = await hostCall("kv.delete", JSONstringify({ __proto__: null, key: kvKey(key) }));
    return r.deleted === true;
  },
  async list(prefix) {
    const p = prefix === undefined || prefix === null ? "" : StringCtor(prefix);
    const r = await hostCall("kv.list", JSONstringify({ __proto__: null, prefix: p }));
    return ArraySlice(r.keys);
  },
});
ObjectFreeze(fetch);
for (const name of ["get", "set", "delete", "list"]) ObjectFreeze(kv[name]);

function describe(e) {
  let name = "Error", message = "", stack = "";
  try {
    if (e !== null && (typeof e === "object" || typeof e === "function")) {
      try { const n = e.name; if (typeof n === "string") name = n; } catch {}
      try { const m = e.message; message = typeof m === "string" ? m : format(m); } catch {}
      try { const s = e.stack; if (typeof s === "string") stack = s; } catch {}
    } else {
      name = "Thrown"; message = format(e);
    }
  } catch {}
  return JSONstringify({ name: clip(name, 200), message: clip(message, 4000), stack: clip(stack, 8000) });
}

async function run(ns, action, inputJson, configJson, secretsJson, features) {
  let actions;
  try {
    const def = ns.default;
    actions = def !== null && typeof def === "object" ? def.actions : undefined;
  } catch (e) { return "e" + describe(e); }
  if (actions === null || typeof actions !== "object") return "m";
  let fn;
  try { fn = ObjectHasOwn(actions, action) ? actions[action] : undefined; } catch (e) { return "e" + describe(e); }
  if (typeof fn !== "function") return "u";
  const config = deepFreeze(JSONparse(configJson)), secrets = deepFreeze(JSONparse(secretsJson));
  const f = typeof features === "string" ? features : "";
  const hasFetch = hostApply !== undefined && StringIncludes(f, "f");
  const hasKv = hostApply !== undefined && StringIncludes(f, "k");
  // Object literals (not assignments): a setter the plugin put on Object.prototype at its
  // top level cannot intercept them.
  const ctx = ObjectFreeze(
    hasFetch && hasKv ? { config, secrets, log, utils, fetch, kv }
    : hasFetch ? { config, secrets, log, utils, fetch }
    : hasKv ? { config, secrets, log, utils, kv }
    : { config, secrets, log, utils });
  let result;
  try {
    result = await ReflectApply(fn, actions, [JSONparse(inputJson), ctx]);
  } catch (e) { return "e" + describe(e); }
  let out;
  try { out = JSONstringify(result); } catch (e) { return "j" + describe(e); }
  if (typeof out !== "string") out = "null";
  if (out.length > OUTPUT_LIMIT) return "b" + out.length;
  return "o" + out;
}
return run;
`;

/**
 * The same bootstrap as a script evaluating to a function of ($0…$4): the pool compiles it
 * once per isolate and runs it in each new context (measured 0.06 ms a context, against
 * 0.41 ms for evalClosure, which parses the source again every time).
 */
export const BOOTSTRAP_FACTORY_SOURCE = `(function ($0, $1, $2, $3, $4) {${BOOTSTRAP_SOURCE}\n})`;

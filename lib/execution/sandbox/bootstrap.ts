// The bootstrap: plain JavaScript that runs inside a fresh isolate before any plugin code.
// It captures the built-ins it needs (so a plugin that later replaces JSON.stringify,
// Function.prototype.call or Array.prototype.join cannot subvert it), removes globals a
// plugin must not have, and returns the runner function — through a Reference held only
// by the host, never placed on the global object. The host's log callback lives only in
// this closure: plugin code sees ctx.log, an ordinary function of its own isolate.
//
// Arguments ($0…$3 of evalClosure): the host log callback, the UTF-16 length above which
// an output is refused, the log line limit and the log character limit.
// The runner returns a string whose first character says what happened:
//   "o" + JSON  output (JSON of the returned value, "null" for undefined)
//   "e" + JSON  the action threw: { name, message, stack }
//   "j" + JSON  the returned value could not be serialised: { name, message, stack }
//   "b" + n     the output was n characters long, over the limit
//   "u"         no such action (own, callable property of default.actions)
//   "m"         the module has no `export default { actions: { … } }`

export const BOOTSTRAP_SOURCE = String.raw`
"use strict";
const hostLog = $0, OUTPUT_LIMIT = $1, LOG_LINES = $2, LOG_CHARS = $3;
const G = globalThis;
const ObjectFreeze = Object.freeze, ObjectHasOwn = Object.hasOwn, ObjectKeys = Object.keys;
const ObjectGetPrototypeOf = Object.getPrototypeOf, ObjectCreate = Object.create;
const ReflectApply = Reflect.apply, ArrayIsArray = Array.isArray;
const JSONparse = JSON.parse, JSONstringify = JSON.stringify;
const StringCtor = String, NumberIsFinite = Number.isFinite;
const MathSqrt = Math.sqrt, MathFloor = Math.floor, MathCeil = Math.ceil;
const uncurry = (fn) => (self, ...args) => ReflectApply(fn, self, args);
const ArrayPush = uncurry(Array.prototype.push), ArrayJoin = uncurry(Array.prototype.join);
const ArraySort = uncurry(Array.prototype.sort), ArraySlice = uncurry(Array.prototype.slice);
const StringSlice = uncurry(String.prototype.slice), StringTrim = uncurry(String.prototype.trim);
const StringIncludes = uncurry(String.prototype.includes);
const ErrorCtor = Error;

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

async function run(ns, action, inputJson, configJson, secretsJson) {
  let actions;
  try {
    const def = ns.default;
    actions = def !== null && typeof def === "object" ? def.actions : undefined;
  } catch (e) { return "e" + describe(e); }
  if (actions === null || typeof actions !== "object") return "m";
  let fn;
  try { fn = ObjectHasOwn(actions, action) ? actions[action] : undefined; } catch (e) { return "e" + describe(e); }
  if (typeof fn !== "function") return "u";
  const ctx = ObjectFreeze({
    config: deepFreeze(JSONparse(configJson)),
    secrets: deepFreeze(JSONparse(secretsJson)),
    log,
    utils,
  });
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

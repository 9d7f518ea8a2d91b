// Drift check between prisma/schema.prisma and a live PostgreSQL database. `prisma migrate
// diff` needs a native schema engine that cannot be installed here, so this parses the
// subset of the schema language the project uses, derives the tables, indexes and
// constraints Prisma Migrate would create for it, and compares them with pg_catalog.
// Functions and triggers are ignored: migrations add those by hand.
import type { ClientBase } from "pg";

export type FkAction = "CASCADE" | "RESTRICT" | "NO ACTION" | "SET NULL" | "SET DEFAULT";

export interface ColumnShape {
  /** As format_type() prints it, without identifier quotes: `text`, `timestamp(3) with time zone`, `Role[]`. */
  type: string;
  nullable: boolean;
  hasDefault: boolean;
  /** Normalised default (`now()`, `member`, `0`) when both sides can state it; absent for sequences and dbgenerated(). */
  default?: string;
}

export interface IndexShape {
  name: string;
  columns: string[];
  unique: boolean;
}

export interface PrimaryKeyShape {
  name: string;
  columns: string[];
}

export interface ForeignKeyShape {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: PrimaryKeyShape | null;
  /** Unique and plain indexes; the primary key's index is not listed. */
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export interface DatabaseShape {
  tables: Record<string, TableShape>;
  /** Enum type name → values. */
  enums: Record<string, string[]>;
}

// ---------------------------------------------------------------------------------------
// Prisma schema → expected shape
// ---------------------------------------------------------------------------------------

interface Attr {
  name: string;
  positional: string[];
  named: Record<string, string>;
}

interface Field {
  name: string;
  type: string;
  list: boolean;
  optional: boolean;
  attrs: Attr[];
}

interface Block {
  kind: "model" | "enum";
  name: string;
  /** Model fields, or enum values (type "", no modifiers). */
  members: Field[];
  blockAttrs: Attr[];
}

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Bytes: "bytea",
};

// @db.X(args) → format_type() spelling; `p` is "(args)" or "".
const NATIVE_TYPES: Record<string, (p: string) => string> = {
  Text: () => "text",
  VarChar: (p) => `character varying${p}`,
  Char: (p) => `character${p}`,
  Uuid: () => "uuid",
  Timestamptz: (p) => `timestamp${p} with time zone`,
  Timestamp: (p) => `timestamp${p} without time zone`,
  Date: () => "date",
  Time: (p) => `time${p} without time zone`,
  Timetz: (p) => `time${p} with time zone`,
  Integer: () => "integer",
  SmallInt: () => "smallint",
  BigInt: () => "bigint",
  Oid: () => "oid",
  DoublePrecision: () => "double precision",
  Real: () => "real",
  Decimal: (p) => `numeric${p}`,
  Money: () => "money",
  Boolean: () => "boolean",
  Bit: (p) => `bit${p}`,
  VarBit: (p) => `bit varying${p}`,
  Json: () => "json",
  JsonB: () => "jsonb",
  ByteA: () => "bytea",
  Xml: () => "xml",
  Inet: () => "inet",
  Citext: () => "citext",
};

const ACTIONS: Record<string, FkAction> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

const FIELD_ATTRS = new Set(["id", "unique", "default", "updatedAt", "map", "relation"]);

export function parsePrismaSchema(text: string): DatabaseShape {
  const blocks = readBlocks(text);
  const models = new Map(blocks.filter((b) => b.kind === "model").map((b) => [b.name, b]));
  const enums = new Map(blocks.filter((b) => b.kind === "enum").map((b) => [b.name, b]));
  const shape: DatabaseShape = { tables: {}, enums: {} };
  for (const e of enums.values()) {
    for (const a of e.blockAttrs) if (a.name !== "map") throw new Error(`enum ${e.name}: @@${a.name} is not supported`);
    shape.enums[dbName(e)] = e.members.map(columnName);
  }
  for (const m of models.values()) shape.tables[dbName(m)] = buildTable(m, models, enums);
  return shape;
}

function buildTable(model: Block, models: Map<string, Block>, enums: Map<string, Block>): TableShape {
  const table = dbName(model);
  const t: TableShape = { columns: {}, primaryKey: null, indexes: [], foreignKeys: [] };
  for (const f of model.members) {
    const where = `${model.name}.${f.name}`;
    for (const a of f.attrs) {
      if (!FIELD_ATTRS.has(a.name) && !a.name.startsWith("db.")) throw new Error(`${where}: @${a.name} is not supported`);
    }
    const target = models.get(f.type);
    if (target) {
      const fk = foreignKey(table, model, f, target);
      if (fk) t.foreignKeys.push(fk);
      continue;
    }
    const col = columnName(f);
    t.columns[col] = column(where, f, enums);
    for (const a of f.attrs) {
      if (a.name === "id") t.primaryKey = { name: str(arg(a, "map")) ?? constraintName(table, [], "_pkey"), columns: [col] };
      if (a.name === "unique") t.indexes.push({ name: str(arg(a, "map")) ?? constraintName(table, [col], "_key"), columns: [col], unique: true });
    }
  }
  for (const a of model.blockAttrs) {
    if (a.name === "map") continue;
    if (a.name !== "id" && a.name !== "unique" && a.name !== "index") throw new Error(`model ${model.name}: @@${a.name} is not supported`);
    const columns = fieldList(arg(a, "fields", 0)).map((n) => columnOf(model, n));
    // `name:` only names the Prisma Client accessor; `map:` is the database name.
    const mapped = str(arg(a, "map"));
    if (a.name === "id") t.primaryKey = { name: mapped ?? constraintName(table, [], "_pkey"), columns };
    else {
      const unique = a.name === "unique";
      t.indexes.push({ name: mapped ?? constraintName(table, columns, unique ? "_key" : "_idx"), columns, unique });
    }
  }
  return t;
}

function column(where: string, f: Field, enums: Map<string, Block>): ColumnShape {
  const enumBlock = enums.get(f.type);
  const native = f.attrs.find((a) => a.name.startsWith("db."));
  let type = enumBlock ? dbName(enumBlock) : SCALAR_TYPES[f.type];
  const unsupported = /^Unsupported\((".*")\)$/.exec(f.type);
  if (unsupported) type = str(unsupported[1]);
  if (native) {
    const render = NATIVE_TYPES[native.name.slice(3)];
    if (!render) throw new Error(`${where}: @${native.name} is not supported`);
    type = render(native.positional.length ? `(${native.positional.join(",")})` : "");
  }
  if (!type) throw new Error(`${where}: type ${f.type} is not supported`);
  const def = f.attrs.find((a) => a.name === "default");
  const { hasDefault, value } = def ? parseDefault(where, arg(def, "value", 0) ?? "", enumBlock) : { hasDefault: false, value: undefined };
  return {
    type: f.list ? `${type}[]` : type,
    // Prisma Migrate creates list columns without NOT NULL.
    nullable: f.optional || f.list,
    hasDefault,
    ...(value !== undefined && { default: value }),
  };
}

function parseDefault(where: string, raw: string, enumBlock: Block | undefined): { hasDefault: boolean; value?: string } {
  const fn = /^(\w+)\((.*)\)$/s.exec(raw);
  if (fn) {
    switch (fn[1]) {
      case "now":
        return { hasDefault: true, value: "now()" };
      case "autoincrement": // serial: nextval(...) names a sequence
      case "dbgenerated": // arbitrary SQL, printed back differently by PostgreSQL
        return { hasDefault: true };
      case "uuid":
      case "cuid":
      case "nanoid":
      case "ulid":
        return { hasDefault: false }; // generated by Prisma Client, not by the database
      default:
        throw new Error(`${where}: @default(${raw}) is not supported`);
    }
  }
  if (raw.startsWith('"')) return { hasDefault: true, value: str(raw) };
  if (raw.startsWith("[")) return { hasDefault: true }; // ARRAY[...] defaults are not compared
  if (enumBlock) {
    const v = enumBlock.members.find((m) => m.name === raw);
    if (!v) throw new Error(`${where}: ${raw} is not a value of enum ${enumBlock.name}`);
    return { hasDefault: true, value: columnName(v) };
  }
  return { hasDefault: true, value: raw }; // numbers and booleans print back as written
}

function foreignKey(table: string, model: Block, field: Field, target: Block): ForeignKeyShape | null {
  const rel = field.attrs.find((a) => a.name === "relation");
  const fields = rel && arg(rel, "fields");
  if (!rel || !fields) {
    // The back side of a relation; the foreign key belongs to the other model. Without one
    // there it is an implicit many-to-many, whose join table we do not derive.
    const other = target.members.some((f) => f !== field && f.type === model.name && f.attrs.some((a) => a.name === "relation" && a.named.fields));
    if (!other) throw new Error(`${model.name}.${field.name}: implicit many-to-many relations are not supported`);
    return null;
  }
  const columns = fieldList(fields).map((n) => columnOf(model, n));
  const action = (name: string, fallback: FkAction): FkAction => {
    const raw = arg(rel, name);
    if (raw === undefined) return fallback;
    const a = ACTIONS[raw];
    if (!a) throw new Error(`${model.name}.${field.name}: unknown referential action ${raw}`);
    return a;
  };
  return {
    name: str(arg(rel, "map")) ?? constraintName(table, columns, "_fkey"),
    columns,
    referencedTable: dbName(target),
    referencedColumns: fieldList(arg(rel, "references")).map((n) => columnOf(target, n)),
    onDelete: action("onDelete", field.optional ? "SET NULL" : "RESTRICT"),
    onUpdate: action("onUpdate", "CASCADE"),
  };
}

// Prisma's default constraint names: PostgreSQL's conventions, truncated so the suffix
// survives the 63-byte identifier limit (names here are ASCII).
function constraintName(table: string, columns: string[], suffix: string): string {
  const base = columns.length ? `${table}_${columns.join("_")}` : table;
  return base.slice(0, 63 - suffix.length) + suffix;
}

function dbName(b: Block): string {
  const map = b.blockAttrs.find((a) => a.name === "map");
  return (map && str(arg(map, "name", 0))) ?? b.name;
}

function columnName(f: Field): string {
  const map = f.attrs.find((a) => a.name === "map");
  return (map && str(arg(map, "name", 0))) ?? f.name;
}

function columnOf(model: Block, fieldName: string): string {
  const f = model.members.find((m) => m.name === fieldName);
  if (!f) throw new Error(`model ${model.name} has no field ${fieldName}`);
  return columnName(f);
}

function arg(a: Attr, name: string, position?: number): string | undefined {
  return a.named[name] ?? (position === undefined ? undefined : a.positional[position]);
}

function str(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!raw.startsWith('"')) throw new Error(`expected a string, got ${raw}`);
  return JSON.parse(raw) as string;
}

/** `[a, b(sort: Desc)]` → ["a", "b"] */
function fieldList(raw: string | undefined): string[] {
  if (!raw?.startsWith("[") || !raw.endsWith("]")) throw new Error(`expected a field list, got ${raw}`);
  return splitTopLevel(raw.slice(1, -1)).map((s) => s.replace(/\(.*\)$/s, "").trim());
}

function readBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  let skipping = false; // generator and datasource blocks say nothing about tables
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    try {
      if (!current && !skipping) {
        const m = /^(\w+)\s+(\w+)\s*\{$/.exec(line);
        if (m?.[1] === "generator" || m?.[1] === "datasource") skipping = true;
        else if ((m?.[1] === "model" || m?.[1] === "enum") && m[2]) current = { kind: m[1], name: m[2], members: [], blockAttrs: [] };
        else throw new Error(`expected a model or enum block, got "${line}"`);
      } else if (line === "}") {
        if (current) blocks.push(current);
        current = null;
        skipping = false;
      } else if (current) {
        if (line.startsWith("@@")) current.blockAttrs.push(...parseAttributes(line));
        else current.members.push(current.kind === "model" ? parseField(line) : parseEnumValue(line));
      }
    } catch (err) {
      throw new Error(`schema line ${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (current || skipping) throw new Error("schema ends inside a block");
  return blocks;
}

function parseField(line: string): Field {
  const m = /^(\w+)\s+(Unsupported\("[^"]*"\)|\w+)(\[\])?(\?)?(?:\s+(.*))?$/.exec(line);
  if (!m?.[1] || !m[2]) throw new Error(`cannot parse field "${line}"`);
  return { name: m[1], type: m[2], list: !!m[3], optional: !!m[4], attrs: parseAttributes(m[5] ?? "") };
}

function parseEnumValue(line: string): Field {
  const m = /^(\w+)(?:\s+(.*))?$/.exec(line);
  if (!m?.[1]) throw new Error(`cannot parse enum value "${line}"`);
  return { name: m[1], type: "", list: false, optional: false, attrs: parseAttributes(m[2] ?? "") };
}

function parseAttributes(s: string): Attr[] {
  const attrs: Attr[] = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s.charAt(i))) {
      i++;
      continue;
    }
    const m = /^@@?([\w.]+)/.exec(s.slice(i));
    if (!m?.[1]) throw new Error(`cannot parse attributes at "${s.slice(i)}"`);
    i += m[0].length;
    const attr: Attr = { name: m[1], positional: [], named: {} };
    if (s[i] === "(") {
      const end = closingParen(s, i);
      for (const part of splitTopLevel(s.slice(i + 1, end))) {
        const named = /^(\w+)\s*:\s*(.*)$/s.exec(part);
        if (named?.[1] && named[2] !== undefined) attr.named[named[1]] = named[2];
        else attr.positional.push(part);
      }
      i = end + 1;
    }
    attrs.push(attr);
  }
  return attrs;
}

// Yields each character outside string literals with the bracket depth after it.
function* outsideStrings(s: string): Generator<[index: number, char: string, depth: number]> {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    yield [i, c, depth];
  }
}

function stripComment(line: string): string {
  for (const [i, c] of outsideStrings(line)) if (c === "/" && line[i + 1] === "/") return line.slice(0, i);
  return line;
}

function closingParen(s: string, open: number): number {
  for (const [i, , depth] of outsideStrings(s.slice(open))) if (depth === 0) return open + i;
  throw new Error(`unbalanced parentheses in "${s}"`);
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const [i, c, depth] of outsideStrings(s)) {
    if (c === "," && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

// ---------------------------------------------------------------------------------------
// Database → actual shape
// ---------------------------------------------------------------------------------------

const FK_ACTIONS: Record<string, FkAction> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };

// Relations of the public schema that belong to the app (the migration runner's own table does not).
const APP_TABLES = `n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`;

export async function introspectDatabase(client: ClientBase): Promise<DatabaseShape> {
  const shape: DatabaseShape = { tables: {}, enums: {} };
  const tables = await client.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${APP_TABLES}`,
  );
  for (const r of tables.rows) shape.tables[r.table] = { columns: {}, primaryKey: null, indexes: [], foreignKeys: [] };
  const table = (name: string) => shape.tables[name] ?? { columns: {}, primaryKey: null, indexes: [], foreignKeys: [] };

  const columns = await client.query<{ table: string; column: string; type: string; nullable: boolean; default: string | null; identity: boolean }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity <> '' AS identity
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE ${APP_TABLES} ORDER BY c.relname, a.attnum`,
  );
  for (const r of columns.rows) {
    const hasDefault = r.default !== null || r.identity;
    const value = r.default === null || /^nextval\(/.test(r.default) ? undefined : normaliseDefault(r.default);
    table(r.table).columns[r.column] = {
      type: r.type.replace(/"/g, ""),
      nullable: r.nullable,
      hasDefault,
      ...(value !== undefined && { default: value }),
    };
  }

  // Expression index columns show as "(expression)", so they never match a field list.
  const indexes = await client.query<{ table: string; name: string; unique: boolean; columns: string[] }>(
    `SELECT c.relname AS table, i.relname AS name, x.indisunique AS unique,
            ARRAY(SELECT COALESCE(a.attname::text, '(expression)')
                    FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                   WHERE k.ord <= x.indnkeyatts ORDER BY k.ord) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${APP_TABLES} AND NOT x.indisprimary ORDER BY c.relname, i.relname`,
  );
  // Indexes on expressions (search documents, trigram indexes) cannot be written in Prisma's
  // schema language, so they are necessarily hand-written in a migration: not drift.
  for (const r of indexes.rows) {
    if (r.columns.includes("(expression)")) continue;
    table(r.table).indexes.push({ name: r.name, columns: r.columns, unique: r.unique });
  }

  const constraints = await client.query<{
    table: string; name: string; type: "p" | "f"; columns: string[]; ref_table: string | null; ref_columns: string[]; on_delete: string; on_update: string;
  }>(
    `SELECT c.relname AS table, con.conname AS name, con.contype AS type,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            rc.relname AS ref_table,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS ref_columns,
            con.confdeltype AS on_delete, con.confupdtype AS on_update
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class rc ON rc.oid = con.confrelid
      WHERE ${APP_TABLES} AND con.contype IN ('p', 'f') ORDER BY c.relname, con.conname`,
  );
  for (const r of constraints.rows) {
    const t = table(r.table);
    if (r.type === "p") t.primaryKey = { name: r.name, columns: r.columns };
    else {
      t.foreignKeys.push({
        name: r.name,
        columns: r.columns,
        referencedTable: r.ref_table ?? "",
        referencedColumns: r.ref_columns,
        onDelete: FK_ACTIONS[r.on_delete] ?? "NO ACTION",
        onUpdate: FK_ACTIONS[r.on_update] ?? "NO ACTION",
      });
    }
  }

  const enums = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' AND t.typtype = 'e' ORDER BY t.typname`,
  );
  for (const r of enums.rows) shape.enums[r.name] = r.values;
  return shape;
}

/** pg_get_expr() output → the spelling parsePrismaSchema uses: `'member'::"Role"` → `member`. */
export function normaliseDefault(expr: string): string {
  let e = expr.trim();
  if (/^(now\(\)|CURRENT_TIMESTAMP)$/i.test(e)) return "now()";
  for (let m; (m = /^(.*)::(?:"[^"]+"|[a-z_][\w ]*(?:\(\d+(?:,\d+)?\))?)(?:\[\])*$/is.exec(e)); ) e = m[1] ?? "";
  const quoted = /^'((?:[^']|'')*)'$/s.exec(e);
  return quoted?.[1] !== undefined ? quoted[1].replace(/''/g, "'") : e;
}

// ---------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------

const describeColumn = (c: ColumnShape) =>
  `${c.type}${c.nullable ? "" : " NOT NULL"}${c.hasDefault ? ` DEFAULT${c.default === undefined ? "" : ` ${c.default}`}` : ""}`;
const describeIndex = (i: IndexShape) => `${i.unique ? "unique index" : "index"} ${i.name} (${i.columns.join(", ")})`;
const describePk = (p: PrimaryKeyShape) => `primary key ${p.name} (${p.columns.join(", ")})`;
const describeFk = (f: ForeignKeyShape) =>
  `foreign key ${f.name} (${f.columns.join(", ")}) REFERENCES ${f.referencedTable} (${f.referencedColumns.join(", ")}) ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`;

/** Differences between the expected shape (from the schema) and the actual one (the database); [] = no drift. */
export function diffSchema(expected: DatabaseShape, actual: DatabaseShape): string[] {
  const out: string[] = [];
  for (const name of union(expected.enums, actual.enums)) {
    const exp = expected.enums[name];
    const act = actual.enums[name];
    if (!act) out.push(`missing enum ${name} (${exp?.join(", ")})`);
    else if (!exp) out.push(`extra enum ${name} (${act.join(", ")})`);
    else {
      // Order is not compared: Prisma appends new values with ALTER TYPE ... ADD VALUE.
      const missing = exp.filter((v) => !act.includes(v));
      const extra = act.filter((v) => !exp.includes(v));
      if (missing.length) out.push(`enum ${name}: missing value(s) ${missing.join(", ")}`);
      if (extra.length) out.push(`enum ${name}: extra value(s) ${extra.join(", ")}`);
    }
  }
  for (const name of union(expected.tables, actual.tables)) {
    const exp = expected.tables[name];
    const act = actual.tables[name];
    if (!act) out.push(`missing table ${name}`);
    else if (!exp) out.push(`extra table ${name}`);
    else diffTable(name, exp, act, out);
  }
  return out;
}

function diffTable(table: string, exp: TableShape, act: TableShape, out: string[]): void {
  for (const name of union(exp.columns, act.columns)) {
    const e = exp.columns[name];
    const a = act.columns[name];
    const where = `${table}.${name}`;
    if (!a) out.push(`${table}: missing column ${name} (${e && describeColumn(e)})`);
    else if (!e) out.push(`${table}: extra column ${name} (${describeColumn(a)})`);
    else {
      if (e.type !== a.type) out.push(`${where}: type is ${a.type}, expected ${e.type}`);
      if (e.nullable !== a.nullable) out.push(`${where}: is ${a.nullable ? "nullable" : "NOT NULL"}, expected ${e.nullable ? "nullable" : "NOT NULL"}`);
      if (e.hasDefault !== a.hasDefault) out.push(`${where}: ${a.hasDefault ? `has a default (${a.default ?? "?"}), expected none` : "has no default, expected one"}`);
      else if (e.default !== undefined && a.default !== undefined && e.default !== a.default) {
        out.push(`${where}: default is ${a.default}, expected ${e.default}`);
      }
    }
  }
  const pk = (s: TableShape) => (s.primaryKey ? [s.primaryKey] : []);
  diffNamed(table, pk(exp), pk(act), () => "", describePk, out);
  diffNamed(table, exp.indexes, act.indexes, (i) => `${i.unique} ${i.columns.join(",")}`, describeIndex, out);
  diffNamed(table, exp.foreignKeys, act.foreignKeys, (f) => f.columns.join(","), describeFk, out);
}

// Pairs objects by name, else by what they are on (so a rename reads as one difference),
// then reports pairs whose descriptions differ and the unpaired ones.
function diffNamed<T extends { name: string }>(
  table: string,
  expected: T[],
  actual: T[],
  key: (x: T) => string,
  describe: (x: T) => string,
  out: string[],
): void {
  const left = [...actual];
  for (const e of expected) {
    let i = left.findIndex((a) => a.name === e.name);
    if (i < 0) i = left.findIndex((a) => key(a) === key(e));
    const [a] = i < 0 ? [] : left.splice(i, 1);
    if (!a) out.push(`${table}: missing ${describe(e)}`);
    else if (describe(a) !== describe(e)) out.push(`${table}: ${describe(a)}, expected ${describe(e)}`);
  }
  for (const a of left) out.push(`${table}: extra ${describe(a)}`);
}

function union(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

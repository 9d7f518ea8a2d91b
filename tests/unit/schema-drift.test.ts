import { describe, expect, test } from "vitest";
import { diffSchema, normaliseDefault, parsePrismaSchema, type DatabaseShape, type TableShape } from "../../lib/db/schema-drift";

const SCHEMA = `
// A comment with "quotes" and @attributes that must be ignored.
generator client {
  provider        = "prisma-client"
  previewFeatures = []
}

datasource db {
  provider = "postgresql"
}

/// Doc comment.
enum Kind {
  plain
  fancy @map("FANCY")

  @@map("kind")
}

model Account {
  id        Int      @id @default(autoincrement())
  handle    String   @unique(map: "account_handle") @db.VarChar(40)
  url       String   @default("http://example.com/a//b") // not a comment inside the string
  kind      Kind     @default(fancy)
  active    Boolean  @default(true)
  score     Float    @default(1.5)
  balance   Decimal  @default(0)
  exact     Decimal? @db.Decimal(10, 2)
  blob      Bytes?
  tags      String[]
  meta      Json     @default("{}")
  token     String   @default(uuid()) @db.Uuid
  createdAt DateTime @default(now()) @map("created_at")
  updatedAt DateTime @updatedAt @map("updated_at") @db.Timestamptz(3)
  big       BigInt?

  posts Post[]
  pins  Pin[]

  @@map("accounts")
}

model Post {
  authorId Int     @map("author_id")
  slug     String
  editorId Int?    @map("editor_id")
  title    String  @default("it's")

  author Account  @relation(fields: [authorId], references: [id])
  editor Account? @relation("edits", fields: [editorId], references: [id])
  pins   Pin[]

  @@id([authorId, slug])
  @@unique([title, slug], name: "titleSlug", map: "post_title_slug")
  @@index([slug(sort: Desc), authorId])
  @@map("posts")
}

model Pin {
  id       String @id
  accountId Int   @map("account_id")
  postAuthor Int  @map("post_author")
  postSlug String @map("post_slug")

  account Account @relation(fields: [accountId], references: [id], onDelete: Cascade, onUpdate: NoAction, map: "pin_account")
  post    Post    @relation(fields: [postAuthor, postSlug], references: [authorId, slug], onDelete: SetDefault)

  @@index([accountId])
}
`;

describe("parsePrismaSchema", () => {
  const shape = parsePrismaSchema(SCHEMA);

  test("enums use mapped type and value names", () => {
    expect(shape.enums).toEqual({ kind: ["plain", "FANCY"] });
  });

  test("tables use mapped names; relation fields are not columns", () => {
    expect(Object.keys(shape.tables)).toEqual(["accounts", "posts", "Pin"]);
    expect(Object.keys(shape.tables.posts?.columns ?? {})).toEqual(["author_id", "slug", "editor_id", "title"]);
  });

  test("columns: types, nullability and defaults as PostgreSQL reports them", () => {
    expect(shape.tables.accounts?.columns).toEqual({
      id: { type: "integer", nullable: false, hasDefault: true },
      handle: { type: "character varying(40)", nullable: false, hasDefault: false },
      url: { type: "text", nullable: false, hasDefault: true, default: "http://example.com/a//b" },
      kind: { type: "kind", nullable: false, hasDefault: true, default: "FANCY" },
      active: { type: "boolean", nullable: false, hasDefault: true, default: "true" },
      score: { type: "double precision", nullable: false, hasDefault: true, default: "1.5" },
      balance: { type: "numeric(65,30)", nullable: false, hasDefault: true, default: "0" },
      exact: { type: "numeric(10,2)", nullable: true, hasDefault: false },
      blob: { type: "bytea", nullable: true, hasDefault: false },
      tags: { type: "text[]", nullable: true, hasDefault: false },
      meta: { type: "jsonb", nullable: false, hasDefault: true, default: "{}" },
      token: { type: "uuid", nullable: false, hasDefault: false },
      created_at: { type: "timestamp(3) without time zone", nullable: false, hasDefault: true, default: "now()" },
      updated_at: { type: "timestamp(3) with time zone", nullable: false, hasDefault: false },
      big: { type: "bigint", nullable: true, hasDefault: false },
    });
    expect(shape.tables.posts?.columns.title).toEqual({ type: "text", nullable: false, hasDefault: true, default: "it's" });
  });

  test("primary keys, unique and plain indexes with Prisma's names unless mapped", () => {
    expect(shape.tables.accounts?.primaryKey).toEqual({ name: "accounts_pkey", columns: ["id"] });
    expect(shape.tables.accounts?.indexes).toEqual([{ name: "account_handle", columns: ["handle"], unique: true }]);
    expect(shape.tables.posts?.primaryKey).toEqual({ name: "posts_pkey", columns: ["author_id", "slug"] });
    expect(shape.tables.posts?.indexes).toEqual([
      { name: "post_title_slug", columns: ["title", "slug"], unique: true },
      { name: "posts_slug_author_id_idx", columns: ["slug", "author_id"], unique: false },
    ]);
    expect(shape.tables.Pin?.indexes).toEqual([{ name: "Pin_account_id_idx", columns: ["account_id"], unique: false }]);
  });

  test("foreign keys: Prisma's default actions, explicit actions, composite and mapped", () => {
    expect(shape.tables.posts?.foreignKeys).toEqual([
      { name: "posts_author_id_fkey", columns: ["author_id"], referencedTable: "accounts", referencedColumns: ["id"], onDelete: "RESTRICT", onUpdate: "CASCADE" },
      { name: "posts_editor_id_fkey", columns: ["editor_id"], referencedTable: "accounts", referencedColumns: ["id"], onDelete: "SET NULL", onUpdate: "CASCADE" },
    ]);
    expect(shape.tables.Pin?.foreignKeys).toEqual([
      { name: "pin_account", columns: ["account_id"], referencedTable: "accounts", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" },
      {
        name: "Pin_post_author_post_slug_fkey",
        columns: ["post_author", "post_slug"],
        referencedTable: "posts",
        referencedColumns: ["author_id", "slug"],
        onDelete: "SET DEFAULT",
        onUpdate: "CASCADE",
      },
    ]);
  });

  test("default names are truncated to fit PostgreSQL's 63-byte identifiers, keeping the suffix", () => {
    const long = "a".repeat(40);
    const s = parsePrismaSchema(`model ${long} {\n  id Int @id\n  ${"b".repeat(30)} String @unique\n}\n`);
    const t = s.tables[long];
    expect(t?.primaryKey?.name).toBe(`${long}_pkey`);
    const name = t?.indexes[0]?.name ?? "";
    expect(name).toHaveLength(63);
    expect(name).toBe(`${long}_${"b".repeat(18)}_key`);
  });

  test("constructs it does not understand are errors, not silently ignored", () => {
    expect(() => parsePrismaSchema("model A {\n  id Int @id @ignore\n}\n")).toThrow("A.id: @ignore is not supported");
    expect(() => parsePrismaSchema("model A {\n  id Int @id\n  @@fulltext([id])\n}\n")).toThrow(/@@fulltext is not supported/);
    expect(() => parsePrismaSchema("view V {\n  id Int\n}\n")).toThrow(/expected a model or enum block/);
    expect(() => parsePrismaSchema("model A {\n  id Money @id\n}\n")).toThrow(/type Money is not supported/);
    expect(() => parsePrismaSchema("model A {\n  id Int @id\n")).toThrow(/ends inside a block/);
    expect(() => parsePrismaSchema("model A {\n  id Int @id @default(\n}\n")).toThrow(/line 2: unbalanced parentheses/);
    expect(() =>
      parsePrismaSchema("model A {\n  id Int @id\n  bs B[]\n}\nmodel B {\n  id Int @id\n  as A[]\n}\n"),
    ).toThrow(/implicit many-to-many/);
  });
});

describe("normaliseDefault", () => {
  test.each([
    [`'member'::"Role"`, "member"],
    ["CURRENT_TIMESTAMP", "now()"],
    ["now()", "now()"],
    ["'{}'::jsonb", "{}"],
    ["'it''s'::text", "it's"],
    ["'x'::character varying", "x"],
    ["'-1'::integer", "-1"],
    ["1.5", "1.5"],
    ["true", "true"],
  ])("%s → %s", (input, output) => {
    expect(normaliseDefault(input)).toBe(output);
  });
});

describe("diffSchema", () => {
  const table = (): TableShape => ({
    columns: {
      id: { type: "text", nullable: false, hasDefault: false },
      role: { type: "Role", nullable: false, hasDefault: true, default: "member" },
      team_id: { type: "text", nullable: true, hasDefault: false },
    },
    primaryKey: { name: "users_pkey", columns: ["id"] },
    indexes: [
      { name: "users_team_id_key", columns: ["team_id"], unique: true },
      { name: "users_role_id_idx", columns: ["role", "id"], unique: false },
    ],
    foreignKeys: [
      { name: "users_team_id_fkey", columns: ["team_id"], referencedTable: "teams", referencedColumns: ["id"], onDelete: "SET NULL", onUpdate: "CASCADE" },
    ],
  });
  const shape = (): DatabaseShape & { tables: { users: TableShape } } => ({
    tables: {
      users: table(),
      teams: { columns: { id: { type: "text", nullable: false, hasDefault: false } }, primaryKey: { name: "teams_pkey", columns: ["id"] }, indexes: [], foreignKeys: [] },
    },
    enums: { Role: ["admin", "member"] },
  });
  const diff = (change: (actual: ReturnType<typeof shape>) => void) => {
    const actual = shape();
    change(actual);
    return diffSchema(shape(), actual);
  };

  test("identical shapes have no differences", () => {
    expect(diffSchema(shape(), shape())).toEqual([]);
  });

  test("the parsed schema compares equal to itself", () => {
    expect(diffSchema(parsePrismaSchema(SCHEMA), parsePrismaSchema(SCHEMA))).toEqual([]);
  });

  test("missing and extra tables", () => {
    expect(diff((a) => delete (a.tables as Record<string, TableShape>).teams)).toEqual(["missing table teams"]);
    expect(diff((a) => void (a.tables.more = table()))).toEqual(["extra table more"]);
  });

  test("missing and extra columns", () => {
    expect(diff((a) => delete a.tables.users.columns.team_id)).toEqual(["users: missing column team_id (text)"]);
    expect(diff((a) => void (a.tables.users.columns.surprise = { type: "integer", nullable: true, hasDefault: false }))).toEqual([
      "users: extra column surprise (integer)",
    ]);
  });

  test("type, nullability and default differences", () => {
    expect(diff((a) => void (a.tables.users.columns.id = { type: "uuid", nullable: false, hasDefault: false }))).toEqual([
      "users.id: type is uuid, expected text",
    ]);
    expect(diff((a) => void (a.tables.users.columns.id = { type: "text", nullable: true, hasDefault: false }))).toEqual([
      "users.id: is nullable, expected NOT NULL",
    ]);
    expect(diff((a) => void (a.tables.users.columns.id = { type: "text", nullable: false, hasDefault: true, default: "x" }))).toEqual([
      "users.id: has a default (x), expected none",
    ]);
    expect(diff((a) => void (a.tables.users.columns.role = { type: "Role", nullable: false, hasDefault: false }))).toEqual([
      "users.role: has no default, expected one",
    ]);
    expect(diff((a) => void (a.tables.users.columns.role = { type: "Role", nullable: false, hasDefault: true, default: "admin" }))).toEqual([
      "users.role: default is admin, expected member",
    ]);
    // A default whose value cannot be stated (a sequence, dbgenerated) only has to exist.
    expect(diff((a) => void (a.tables.users.columns.role = { type: "Role", nullable: false, hasDefault: true }))).toEqual([]);
  });

  test("primary key differences", () => {
    expect(diff((a) => void (a.tables.users.primaryKey = { name: "users_pkey", columns: ["id", "role"] }))).toEqual([
      "users: primary key users_pkey (id, role), expected primary key users_pkey (id)",
    ]);
    expect(diff((a) => void (a.tables.users.primaryKey = null))).toEqual(["users: missing primary key users_pkey (id)"]);
  });

  test("index and unique differences", () => {
    expect(diff((a) => void a.tables.users.indexes.pop())).toEqual(["users: missing index users_role_id_idx (role, id)"]);
    expect(diff((a) => void a.tables.users.indexes.shift())).toEqual(["users: missing unique index users_team_id_key (team_id)"]);
    expect(diff((a) => void a.tables.users.indexes.push({ name: "users_role_idx", columns: ["role"], unique: false }))).toEqual([
      "users: extra index users_role_idx (role)",
    ]);
    expect(diff((a) => void (a.tables.users.indexes[1] = { name: "users_role_id_idx", columns: ["role"], unique: false }))).toEqual([
      "users: index users_role_id_idx (role), expected index users_role_id_idx (role, id)",
    ]);
    expect(diff((a) => void (a.tables.users.indexes[0] = { name: "users_team_id_key", columns: ["team_id"], unique: false }))).toEqual([
      "users: index users_team_id_key (team_id), expected unique index users_team_id_key (team_id)",
    ]);
    expect(diff((a) => void (a.tables.users.indexes[1] = { name: "by_role", columns: ["role", "id"], unique: false }))).toEqual([
      "users: index by_role (role, id), expected index users_role_id_idx (role, id)",
    ]);
  });

  test("foreign key differences, including referential actions", () => {
    const fk = table().foreignKeys[0]!;
    expect(diff((a) => void (a.tables.users.foreignKeys = []))).toEqual([
      "users: missing foreign key users_team_id_fkey (team_id) REFERENCES teams (id) ON DELETE SET NULL ON UPDATE CASCADE",
    ]);
    expect(diff((a) => void (a.tables.users.foreignKeys = [{ ...fk, onDelete: "CASCADE" }]))).toEqual([
      "users: foreign key users_team_id_fkey (team_id) REFERENCES teams (id) ON DELETE CASCADE ON UPDATE CASCADE, " +
        "expected foreign key users_team_id_fkey (team_id) REFERENCES teams (id) ON DELETE SET NULL ON UPDATE CASCADE",
    ]);
    expect(diff((a) => void (a.tables.users.foreignKeys = [{ ...fk, onUpdate: "NO ACTION" }]))).toHaveLength(1);
    expect(diff((a) => void (a.tables.users.foreignKeys = [{ ...fk, referencedTable: "users" }]))).toHaveLength(1);
    expect(diff((a) => void a.tables.users.foreignKeys.push({ ...fk, name: "users_id_fkey", columns: ["id"] }))).toEqual([
      "users: extra foreign key users_id_fkey (id) REFERENCES teams (id) ON DELETE SET NULL ON UPDATE CASCADE",
    ]);
  });

  test("enum differences", () => {
    expect(diff((a) => void (a.enums.Role = ["admin"]))).toEqual(["enum Role: missing value(s) member"]);
    expect(diff((a) => void (a.enums.Role = ["admin", "member", "guest"]))).toEqual(["enum Role: extra value(s) guest"]);
    expect(diff((a) => void (a.enums.Role = ["member", "admin"]))).toEqual([]);
    expect(diff((a) => void (a.enums = {}))).toEqual(["missing enum Role (admin, member)"]);
    expect(diff((a) => void (a.enums.Mood = ["ok"]))).toEqual(["extra enum Mood (ok)"]);
  });
});

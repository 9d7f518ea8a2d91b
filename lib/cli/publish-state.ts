// `.capreg/state.json` in a capability folder: what `capreg publish` last published from
// it, per server (slug, version, content hash, time). `discover` compares a manifest's
// current content hash with it to say "changed since the last publish" offline. Holds no
// secret; safe to commit or to ignore.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const EntrySchema = z.object({ slug: z.string(), version: z.string(), contentHash: z.string(), publishedAt: z.string() });
const StateSchema = z.object({ version: z.literal(1), servers: z.record(z.string(), EntrySchema) });
export type PublishRecord = z.infer<typeof EntrySchema>;

const stateFile = (dir: string) => path.join(dir, ".capreg", "state.json");

export function readPublishState(dir: string): Record<string, PublishRecord> {
  const file = stateFile(dir);
  if (!existsSync(file)) return {};
  try {
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data.servers : {};
  } catch {
    return {};
  }
}

export function writePublishRecord(dir: string, serverUrl: string, record: PublishRecord): void {
  const servers = { ...readPublishState(dir), [serverUrl]: record };
  mkdirSync(path.join(dir, ".capreg"), { recursive: true });
  writeFileSync(stateFile(dir), JSON.stringify({ version: 1, servers }, null, 2) + "\n");
}

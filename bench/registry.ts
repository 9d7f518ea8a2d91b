// Registry benchmark: with 10,000 capabilities stored (each with published, public,
// approved versions, realistic and varied content, plus agents, installations and reviews
// so installs and ratings sorts have real rows to count), measures
//   1. marketplace search p50/p99: server-side time of searchCapabilities (the lib
//      function the route calls) over typo, multi-word, broad, filtered, sorted and
//      paginated queries — target p99 ≤ 20 ms;
//   2. create-and-publish p99: createCapability + publishVersion (validation, security
//      report, hash, row lock, inserts, events) — target p99 ≤ 50 ms.
// Its own embedded PostgreSQL, like bench/run.ts. Prints figures; never fails on time.
// The machine is shared, so both are measured in rounds, each with the CPU share other
// processes took, and the best round counts (as in bench/run.ts); every round is printed.
// Alone: `npx tsx bench/registry.ts`. Knobs: BENCH_REGISTRY_CAPABILITIES (10000),
// BENCH_REGISTRY_ROUNDS (4), BENCH_REGISTRY_SEARCH_PASSES (10 passes over the 21 queries a
// round), BENCH_REGISTRY_PUBLISHES (100 a round), BENCH_PG_PORT (55600).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { ensureAppRole } from "../lib/db/app-role";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { migrate } from "../lib/db/migrate";
import { createPrismaClient, type Db, type Prisma } from "../lib/db/prisma";
import { resetEnvCache } from "../lib/env";
import { newId } from "../lib/ids";
import { searchCapabilities, SearchCapabilitiesQuerySchema } from "../lib/marketplace/search-capabilities";
import { createCapability } from "../lib/registry/create-capability";
import type { Manifest } from "../lib/registry/manifest-schema";
import { manifestContentHash, validateManifest } from "../lib/registry/parse-manifest";
import { capabilityRisk } from "../lib/registry/permissions";
import { publishVersion } from "../lib/registry/publish-version";
import { listingFields } from "../lib/registry/refresh-listing";
import { computeSecurityReport } from "../lib/registry/security-report";
import { semverParts } from "../lib/registry/version-order";
import { cpuShare, cpuSnapshot, describeShare, type CpuShare } from "./lib/machine";
import { findFreePort } from "./lib/server";
import { ms, round, roundSummary, summarize, table, type Summary } from "./lib/stats";

const num = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

// A deterministic PRNG, so every run stores the same catalog.
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    /** Zipf-like: small indexes much more often. */
    skewed: (n: number) => Math.min(n - 1, Math.floor(n * next() ** 3)),
  };
}

type Kind = "declarative" | "api-connector" | "code" | "workflow";
interface Topic {
  word: string;
  nouns: string[];
  category: string;
  kind: Kind;
  domain?: string;
  method?: "GET" | "POST";
  permissions?: string[];
  tags: string[];
  does: string;
}

const TOPICS: Topic[] = [
  { word: "Weather", nouns: ["Lookup", "Forecast", "Alerts", "History"], category: "web", kind: "declarative", domain: "api.open-meteo.com", tags: ["weather", "forecast"], does: "current conditions, hourly forecasts and severe weather alerts for any city or coordinates" },
  { word: "Currency", nouns: ["Converter", "Rates", "Exchange Monitor"], category: "finance", kind: "declarative", domain: "api.frankfurter.app", tags: ["currency", "money", "fx"], does: "exchange rates from the European Central Bank and conversions between 30 currencies" },
  { word: "Stock", nouns: ["Quotes", "Tracker", "Dividend Calendar"], category: "finance", kind: "declarative", domain: "query1.finance.yahoo.com", tags: ["stocks", "markets"], does: "delayed quotes, daily ranges and dividend dates for listed companies" },
  { word: "Crypto", nouns: ["Price Tracker", "Portfolio", "Gas Fees"], category: "finance", kind: "declarative", domain: "api.coingecko.com", tags: ["crypto", "bitcoin", "ethereum"], does: "prices, market caps and 24-hour changes of the top cryptocurrencies" },
  { word: "CSV", nouns: ["Statistics", "Cleaner", "Merger", "Profiler"], category: "data", kind: "code", tags: ["csv", "statistics", "tables"], does: "column statistics, type detection, duplicate removal and merging of CSV files" },
  { word: "JSON", nouns: ["Path Extractor", "Validator", "Formatter", "Diff"], category: "data", kind: "code", tags: ["json", "schema"], does: "path queries, schema validation, pretty printing and structural diffs of JSON documents" },
  { word: "Markdown", nouns: ["to HTML", "Linter", "Table Builder"], category: "text", kind: "code", tags: ["markdown", "html"], does: "safe rendering of Markdown to HTML, lint rules and table formatting" },
  { word: "PDF", nouns: ["Invoice Reader", "Text Extractor", "Page Splitter"], category: "media", kind: "code", permissions: ["file.read"], tags: ["pdf", "documents"], does: "text, tables and invoice fields extracted from uploaded PDF files" },
  { word: "Image", nouns: ["Resizer", "Compressor", "Watermarker"], category: "media", kind: "code", permissions: ["file.read", "file.write"], tags: ["images", "png", "jpeg"], does: "resizing, cropping, compression and watermarks for PNG, JPEG and WebP images" },
  { word: "Email", nouns: ["Sender", "Digest", "Validator"], category: "communication", kind: "code", permissions: ["integration.email"], tags: ["email", "smtp"], does: "sending templated email through the connected account and checking addresses" },
  { word: "Calendar", nouns: ["Sync", "Scheduler", "Availability Finder"], category: "productivity", kind: "code", permissions: ["integration.calendar"], tags: ["calendar", "meetings"], does: "free slots, meeting scheduling and event sync across connected calendars" },
  { word: "Slack", nouns: ["Notifier", "Messenger", "Channel Digest"], category: "communication", kind: "api-connector", domain: "slack.com", method: "POST", tags: ["slack", "chat"], does: "messages, threaded replies and daily digests in Slack channels" },
  { word: "GitHub", nouns: ["Issues", "Release Notes", "PR Summarizer"], category: "developer", kind: "api-connector", domain: "api.github.com", method: "POST", tags: ["github", "git"], does: "issues, pull requests and release notes of GitHub repositories" },
  { word: "CRM", nouns: ["Contact Sync", "Lead Scorer"], category: "integration", kind: "code", permissions: ["integration.crm"], tags: ["crm", "sales"], does: "contact records, deal stages and lead scores in the connected CRM" },
  { word: "Translation", nouns: ["Helper", "Glossary Checker"], category: "ai", kind: "code", permissions: ["ai.call"], tags: ["translation", "languages"], does: "translation between 40 languages with a glossary that keeps product terms intact" },
  { word: "Sentiment", nouns: ["Analyzer", "Trend Report"], category: "ai", kind: "code", permissions: ["ai.call"], tags: ["sentiment", "nlp"], does: "sentiment scores of reviews, tickets and social posts, with trends over time" },
  { word: "Text", nouns: ["Summarizer", "Classifier", "Keyword Extractor"], category: "ai", kind: "code", permissions: ["ai.call"], tags: ["summary", "nlp"], does: "summaries, labels and keywords of long documents" },
  { word: "Regex", nouns: ["Extractor", "Tester"], category: "text", kind: "code", tags: ["regex", "patterns"], does: "every match and capture group of a regular expression in a text" },
  { word: "Date", nouns: ["Calculator", "Formatter", "Business Days"], category: "utilities", kind: "code", tags: ["dates", "time"], does: "date arithmetic, business-day counts and formatting in any locale" },
  { word: "Timezone", nouns: ["Converter", "Meeting Planner"], category: "utilities", kind: "code", tags: ["time", "timezones"], does: "times converted between zones and meeting slots that suit every participant" },
  { word: "Unit", nouns: ["Converter", "Recipe Scaler"], category: "utilities", kind: "code", tags: ["units", "conversion"], does: "lengths, weights, volumes and temperatures converted between metric and imperial" },
  { word: "Checksum", nouns: ["Generator", "Verifier"], category: "developer", kind: "code", tags: ["hash", "sha256"], does: "SHA-256, SHA-1 and MD5 checksums of texts and files" },
  { word: "UUID", nouns: ["Generator", "Decoder"], category: "developer", kind: "code", tags: ["uuid", "ids"], does: "UUID v4 and v7 generation and decoding of their timestamps" },
  { word: "Password", nouns: ["Generator", "Strength Checker"], category: "utilities", kind: "code", tags: ["security", "passwords"], does: "strong passwords and passphrases, and strength estimates" },
  { word: "QR Code", nouns: ["Generator", "Reader"], category: "media", kind: "code", tags: ["qr", "barcodes"], does: "QR codes for URLs, Wi-Fi credentials and contact cards" },
  { word: "URL", nouns: ["Shortener", "Metadata Fetcher", "Link Checker"], category: "web", kind: "declarative", domain: "is.gd", tags: ["urls", "links"], does: "short links, page titles and previews, and broken-link reports" },
  { word: "DNS", nouns: ["Lookup", "Propagation Check"], category: "web", kind: "declarative", domain: "dns.google", tags: ["dns", "domains"], does: "A, AAAA, MX and TXT records of a domain as resolvers around the world see them" },
  { word: "IP", nouns: ["Geolocation", "Reputation"], category: "web", kind: "declarative", domain: "ipapi.co", tags: ["ip", "geolocation"], does: "country, city and network owner of an IP address" },
  { word: "News", nouns: ["Headlines", "Digest"], category: "web", kind: "declarative", domain: "newsapi.org", tags: ["news", "media"], does: "top headlines by country and topic, summarized into a morning digest" },
  { word: "RSS", nouns: ["Reader", "Filter"], category: "web", kind: "declarative", domain: "feeds.feedburner.com", tags: ["rss", "feeds"], does: "new items of RSS and Atom feeds, filtered by keyword" },
  { word: "SQL", nouns: ["Formatter", "Explainer"], category: "developer", kind: "code", tags: ["sql", "databases"], does: "formatted SQL and plain-language explanations of what a query does" },
  { word: "Invoice", nouns: ["Processor", "Reminder"], category: "finance", kind: "workflow", tags: ["invoices", "accounting"], does: "invoices read from uploads, validated, stored and sent for approval" },
  { word: "Expense", nouns: ["Categorizer", "Report Builder"], category: "finance", kind: "workflow", tags: ["expenses", "accounting"], does: "receipts categorized and monthly expense reports drafted for review" },
  { word: "Webhook", nouns: ["Sender", "Relay"], category: "integration", kind: "declarative", domain: "hooks.zapier.com", method: "POST", tags: ["webhooks", "automation"], does: "JSON payloads posted to webhook endpoints with retries" },
  { word: "Geocoding", nouns: ["Address Lookup", "Reverse Lookup"], category: "web", kind: "declarative", domain: "nominatim.openstreetmap.org", tags: ["maps", "addresses"], does: "coordinates for addresses and addresses for coordinates from OpenStreetMap" },
  { word: "Spell", nouns: ["Checker"], category: "text", kind: "code", tags: ["spelling", "grammar"], does: "spelling mistakes found and fixes suggested in English, German, French and Spanish" },
  { word: "Base64", nouns: ["Encoder", "Decoder"], category: "developer", kind: "code", tags: ["encoding"], does: "Base64 and Base64URL encoding and decoding of text" },
  { word: "Jira", nouns: ["Ticket Creator", "Sprint Report"], category: "productivity", kind: "api-connector", domain: "api.atlassian.com", method: "POST", tags: ["jira", "tickets"], does: "tickets created from conversations and sprint reports for the team" },
  { word: "Notion", nouns: ["Page Writer", "Database Query"], category: "productivity", kind: "api-connector", domain: "api.notion.com", method: "POST", tags: ["notion", "docs"], does: "pages written and databases queried in a Notion workspace" },
  { word: "Google Sheets", nouns: ["Reader", "Row Appender"], category: "data", kind: "api-connector", domain: "sheets.googleapis.com", method: "POST", tags: ["spreadsheets", "google"], does: "rows read from and appended to Google Sheets" },
  { word: "Twilio", nouns: ["SMS Sender", "Call Logger"], category: "communication", kind: "api-connector", domain: "api.twilio.com", method: "POST", tags: ["sms", "twilio"], does: "text messages sent and delivery receipts collected through Twilio" },
  { word: "Stripe", nouns: ["Payment Lookup", "Refund Helper"], category: "finance", kind: "api-connector", domain: "api.stripe.com", method: "POST", tags: ["payments", "stripe"], does: "payments, customers and refunds in a Stripe account" },
  { word: "Wikipedia", nouns: ["Summary", "Fact Finder"], category: "web", kind: "declarative", domain: "en.wikipedia.org", tags: ["wikipedia", "knowledge"], does: "article summaries and infobox facts from Wikipedia" },
  { word: "Air Quality", nouns: ["Index", "Alerts"], category: "web", kind: "declarative", domain: "api.openaq.org", tags: ["air", "environment"], does: "PM2.5, ozone and AQI readings from nearby stations" },
  { word: "Holiday", nouns: ["Calendar", "Checker"], category: "utilities", kind: "declarative", domain: "date.nager.at", tags: ["holidays", "dates"], does: "public holidays of 100 countries by year" },
  { word: "Color", nouns: ["Palette Generator", "Contrast Checker"], category: "media", kind: "code", tags: ["colors", "accessibility"], does: "palettes from a base color and WCAG contrast ratios of color pairs" },
  { word: "Lorem Ipsum", nouns: ["Generator"], category: "text", kind: "code", tags: ["placeholder"], does: "placeholder text in words, sentences or paragraphs" },
  { word: "Word", nouns: ["Counter", "Frequency"], category: "text", kind: "code", tags: ["words", "text"], does: "word, sentence and character counts and the most frequent terms" },
  { word: "Log", nouns: ["Parser", "Anomaly Detector"], category: "developer", kind: "code", permissions: ["data.read", "data.write"], tags: ["logs", "monitoring"], does: "structured fields from log lines and alerts on unusual error rates" },
  { word: "Cron", nouns: ["Explainer", "Next Runs"], category: "developer", kind: "code", tags: ["cron", "scheduling"], does: "cron expressions explained in plain words with their next run times" },
];
const BRANDS = ["Acme", "Northwind", "Contoso", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Aperture", "Wonka", "Gringotts", "Oceanic", "Monarch", "Pied Piper", "Dunder", "Bluth", "Prestige", "Massive", "Virtucon", "Gekko", "Sirius", "Nakatomi", "Zorg", "Weyland", "Duff"];
const SUFFIXES = ["", "Pro", "Lite", "Plus", "for Teams", "EU", "Express", "Studio", "Toolkit", "Cloud", "Mini", "360"];
const OPENERS = ["Gives your agent", "Adds", "Brings", "Lets an agent use", "Provides"];
const EXTRAS = [
  "Results are cached for five minutes to stay within rate limits.",
  "Works in every region and handles pagination for you.",
  "Returns plain JSON that the next step of a workflow can use directly.",
  "Built for support and operations teams that automate daily chores.",
  "Errors come back with a clear message instead of a stack trace.",
  "Every call is logged so you can see what the agent did.",
  "Maintained by the publisher with monthly updates.",
  "No account needed for the basic features.",
];

const slugify = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 64).replace(/-$/, "");

function manifestFor(r: ReturnType<typeof prng>, name: string, slug: string, topic: Topic, version: string): unknown {
  const description = `${r.pick(OPENERS)} ${topic.does}. ${r.pick(EXTRAS)} ${r.pick(EXTRAS)}`;
  const common = { slug, name, version, description, category: topic.category, tags: [...topic.tags, r.pick(["automation", "assistant", "api", "reports", "teams"])], author: name.split(" ")[0], icon: "🧩", permissions: topic.permissions ?? [] };
  const needsKey = r.next() < 0.5;
  const configuration = needsKey ? [{ key: "API_KEY", label: `${topic.word} API key`, type: "secret", required: true, help_url: `https://${topic.domain ?? "example.com"}/docs` }] : [];
  switch (topic.kind) {
    case "declarative":
      return {
        ...common,
        type: "declarative",
        configuration,
        actions: [
          {
            id: "query",
            name: `Query ${topic.word}`,
            inputs: [{ name: "query", type: "string", required: true, description: "What to look up" }, { name: "limit", type: "integer" }],
            outputs: [{ name: "result", type: "object" }],
            integration: {
              endpoint: `https://${topic.domain}/v1/${slugify(topic.nouns[0]!)}`,
              method: topic.method ?? "GET",
              headers: needsKey ? { Authorization: "Bearer ${config.API_KEY}" } : undefined,
              params: { q: "${input.query}", limit: "${input.limit}" },
              response_mapping: { result: "data" },
            },
          },
        ],
        examples: [{ input: { query: "example" } }],
      };
    case "api-connector":
      return {
        ...common,
        type: "api-connector",
        api: { base_url: `https://${topic.domain}`, auth: { type: "bearer", token_from: "API_TOKEN" } },
        endpoints: [
          { id: "list", name: `List ${topic.tags[0]}`, method: "GET", path: "/v1/items", inputs: { query: { type: "string" } }, query: { q: "{{query}}" } },
          { id: "create", name: `Create ${topic.tags[0]}`, method: topic.method ?? "POST", path: "/v1/items", inputs: { title: { type: "string", required: true }, body: { type: "string" } }, body: { title: "{{title}}", text: "{{body}}" } },
        ],
      };
    case "workflow":
      return {
        ...common,
        type: "workflow",
        permissions: [...(topic.permissions ?? []), "ai.call", "data.write"],
        workflow: {
          trigger: "file_upload",
          steps: [
            { id: "extract", action: "pdf-text-extractor.extract", input: "${trigger.file}", output: "text" },
            { id: "analyze", action: "text-summarizer.summarize", input: "${text}", depends_on: ["extract"], retry: 2, output: "fields" },
            { id: "store", action: "google-sheets-row-appender.create", input: "${fields}", depends_on: ["analyze"], on_error: "continue" },
          ],
        },
      };
    default: {
      const usesKv = (topic.permissions ?? []).includes("data.write");
      return {
        ...common,
        type: "code",
        configuration,
        actions: [{ id: "run", name: `${topic.word} ${topic.nouns[0]}`, inputs: [{ name: "text", type: "string", required: true }], outputs: [{ name: "result", type: "object" }] }],
        source: `// ${name}: ${topic.does}.
export default {
  actions: {
    async run(input, ctx) {
      const text = String(input.text ?? "");
      ${usesKv ? 'const seen = (await ctx.kv.get("count")) ?? 0;\n      await ctx.kv.set("count", seen + 1);' : ""}
      const words = text.split(/\\s+/).filter(Boolean);
      ctx.log("processed", words.length);
      return { result: { words: words.length, chars: text.length, first: words[0] ?? null } };
    },
  },
};
`,
      };
    }
  }
}

interface BenchDb {
  db: Db;
  /** What autovacuum does on a live system; the app role does not own the tables, so the owner runs it. */
  analyze(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDatabase(log: (line: string) => void): Promise<BenchDb> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "capreg-bench-registry-"));
  process.env.DATA_DIR = dataDir;
  process.env.LOG_LEVEL ??= "warn";
  resetEnvCache();
  const port = await findFreePort(num("BENCH_PG_PORT", 55600) + 120);
  log(`registry: starting embedded PostgreSQL on ${port} in ${dataDir}`);
  const embedded = await startEmbeddedPostgres({ dataDir, port });
  try {
    await migrate(embedded.url);
    const { appUrl } = await ensureAppRole({ ownerUrl: embedded.url, secret: randomBytes(32).toString("hex") });
    const db = createPrismaClient(appUrl, 10);
    return {
      db,
      async analyze() {
        const owner = new pg.Client({ connectionString: embedded.url });
        await owner.connect();
        try {
          await owner.query("VACUUM ANALYZE");
        } finally {
          await owner.end();
        }
      },
      async stop() {
        await db.$disconnect().catch(() => {});
        await embedded.stop().catch(() => {});
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await embedded.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Bulk-loads the catalog (rows as publish would write them, without per-row events). */
export async function loadCatalog(db: Db, count: number, log: (line: string) => void) {
  const r = prng(20261121);
  const t0 = performance.now();
  const users = Array.from({ length: 300 }, (_, i) => ({ id: newId("usr"), email: `publisher${i}@bench.example`, name: `${r.pick(BRANDS)} Labs ${i}`, passwordHash: "x", isVerifiedPublisher: i % 10 === 0 }));
  const admin = { id: newId("usr"), email: "admin@bench.example", name: "Bench Admin", passwordHash: "x", role: "admin" as const };
  await db.user.createMany({ data: [...users, admin] });

  const seen = new Set<string>();
  const caps: Prisma.CapabilityCreateManyInput[] = [];
  const versions: Prisma.CapabilityVersionCreateManyInput[] = [];
  const capIds: string[] = [];
  const listedVersion: string[] = [];
  const start = Date.now() - count * 60_000;
  for (let i = 0; capIds.length < count; i++) {
    const topic = r.pick(TOPICS);
    const name = [r.next() < 0.85 ? r.pick(BRANDS) : "", topic.word, r.pick(topic.nouns), r.pick(SUFFIXES)].filter(Boolean).join(" ");
    const slug = slugify(name);
    if (seen.has(slug)) continue;
    seen.add(slug);
    const owner = users[r.skewed(users.length)]!;
    const id = newId("cap");
    const nVersions = r.next() < 0.3 ? 2 : 1;
    let last: Manifest | undefined;
    const at = new Date(start + capIds.length * 60_000);
    for (let v = 0; v < nVersions; v++) {
      const report = validateManifest(manifestFor(r, name, slug, topic, v === 0 ? "1.0.0" : "1.1.0"));
      if (!report.valid || !report.manifest) throw new Error(`generated manifest ${slug} is invalid: ${JSON.stringify(report.errors.slice(0, 3))}`);
      const m = report.manifest;
      const vid = newId("ver");
      const publishedAt = new Date(at.getTime() + v * 1000);
      versions.push({
        id: vid,
        capabilityId: id,
        version: m.version,
        ...semverParts(m.version),
        manifest: JSON.parse(JSON.stringify(m)),
        contentHash: manifestContentHash(m),
        changelog: v === 0 ? "First release." : "Handles empty input and adds a limit.",
        permissions: m.permissions,
        risk: capabilityRisk(m.permissions, m.risk),
        securityReport: JSON.parse(JSON.stringify(computeSecurityReport(m))),
        visibility: "public",
        reviewState: "approved",
        reviewedById: admin.id,
        reviewedAt: publishedAt,
        publishedById: owner.id,
        publishedAt,
      });
      last = m;
      if (v === nVersions - 1) listedVersion.push(vid);
    }
    // As publishVersion leaves it: no pending draft once everything is published.
    caps.push({ id, slug, ownerId: owner.id, ...listingFields(last!), visibility: "public", createdAt: at, updatedAt: at });
    capIds.push(id);
  }
  for (let i = 0; i < caps.length; i += 500) await db.capability.createMany({ data: caps.slice(i, i + 500) });
  for (let i = 0; i < versions.length; i += 500) await db.capabilityVersion.createMany({ data: versions.slice(i, i + 500) });
  log(`registry: ${caps.length} capabilities, ${versions.length} versions stored in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Agents with installations (popular capabilities installed more) and reviews.
  const agents = Array.from({ length: 3000 }, (_, i) => ({ id: newId("agt"), ownerId: users[r.int(users.length)]!.id, name: `Agent ${i}` }));
  await db.agent.createMany({ data: agents });
  const installs: { id: string; agentId: string; capabilityId: string; versionId: string; grantedPermissions: string[]; installedById: string }[] = [];
  for (const a of agents) {
    const n = 1 + r.int(8);
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(r.skewed(capIds.length));
    for (const c of chosen) installs.push({ id: newId("ins"), agentId: a.id, capabilityId: capIds[c]!, versionId: listedVersion[c]!, grantedPermissions: [], installedById: a.ownerId });
  }
  for (let i = 0; i < installs.length; i += 1000) await db.installation.createMany({ data: installs.slice(i, i + 1000) });
  const reviewKeys = new Set<string>();
  const reviews: { id: string; capabilityId: string; userId: string; rating: number; body: string }[] = [];
  while (reviews.length < 8000) {
    const c = r.skewed(capIds.length);
    const u = users[r.int(users.length)]!;
    const key = `${c}:${u.id}`;
    if (reviewKeys.has(key)) continue;
    reviewKeys.add(key);
    const rating = Math.max(1, Math.min(5, Math.round(4.2 + (r.next() - 0.6) * 3)));
    reviews.push({ id: newId("rev"), capabilityId: capIds[c]!, userId: u.id, rating, body: rating >= 4 ? "Does what it says." : "Works, but the docs are thin." });
  }
  for (let i = 0; i < reviews.length; i += 1000) await db.review.createMany({ data: reviews.slice(i, i + 1000) });
  log(`registry: ${agents.length} agents, ${installs.length} installations, ${reviews.length} reviews; total load ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { users, admin, viewer: { userId: users[users.length - 1]!.id, role: "member" as const } };
}

const SEARCHES: [string, string][] = [
  ["typo: wether", "q=wether"],
  ["typo: markdwon", "q=markdwon"],
  ["typo: curency convrter", "q=curency%20convrter"],
  ["words: weather forecast", "q=weather%20forecast"],
  ["words: csv stats", "q=csv%20stats"],
  ["broad: data", "q=data"],
  ["broad: api, sorted by installs", "q=api&sort=installs"],
  ["prefix: sla", "q=sla"],
  ["browse: relevance", ""],
  ["browse: installs", "sort=installs"],
  ["browse: rating", "sort=rating"],
  ["browse: newest", "sort=newest"],
  ["filter: category=finance, installs", "category=finance&sort=installs"],
  ["filter: network=true, rating", "network=true&sort=rating"],
  ["filter: network=false, newest", "network=false&sort=newest"],
  ["filter: type=code & risk=low", "type=code&risk=low"],
  ["filter: verified publishers, newest", "publisher=verified&sort=newest"],
  ["filter: q=weather & network=true", "q=weather&network=true"],
  ["filter: q=json & category=data", "q=json&category=data"],
];

type Query = ReturnType<typeof SearchCapabilitiesQuerySchema.parse>;

interface Round {
  latency: Summary;
  cpu?: CpuShare;
}

/** The machine is shared: measure in rounds, note what others took, and let the best round count (as bench/run.ts does). */
function bestRound(rounds: Round[]): Round {
  return rounds.reduce((a, b) => (b.latency.p99 < a.latency.p99 ? b : a));
}

async function searchQueries(db: Db, viewer: { userId: string; role: "member" }): Promise<(readonly [string, Query])[]> {
  const queries = SEARCHES.map(([name, qs]) => [name, SearchCapabilitiesQuerySchema.parse(Object.fromEntries(new URLSearchParams(qs)))] as const);
  // Page 2 of two sorts, through the cursor of page 1.
  for (const qs of ["sort=installs", "q=weather"]) {
    const q = SearchCapabilitiesQuerySchema.parse(Object.fromEntries(new URLSearchParams(qs)));
    const first = await searchCapabilities(db, { viewer, query: q });
    queries.push([`page 2: ${qs}`, { ...q, cursor: first.nextCursor ?? undefined }]);
  }
  return queries;
}

async function timeSearches(db: Db, viewer: { userId: string; role: "member" }, rounds: number, passes: number, log: (line: string) => void) {
  const queries = await searchQueries(db, viewer);
  for (const [, q] of queries) for (let i = 0; i < 3; i++) await searchCapabilities(db, { viewer, query: q }); // warm-up
  const per = new Map<string, number[]>();
  const results: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const all: number[] = [];
    const before = cpuSnapshot();
    for (let pass = 0; pass < passes; pass++) {
      for (const [name, q] of queries) {
        const t0 = performance.now();
        await searchCapabilities(db, { viewer, query: q });
        const dt = performance.now() - t0;
        all.push(dt);
        per.set(name, [...(per.get(name) ?? []), dt]);
      }
    }
    const r = { latency: summarize(all), cpu: cpuShare(before, cpuSnapshot()) };
    results.push(r);
    log(`registry: search round ${round}: p50 ${ms(r.latency.p50)} ms, p99 ${ms(r.latency.p99)} ms over ${r.latency.n}; ${describeShare(r.cpu)}`);
  }
  const top = async (qs: string) => (await searchCapabilities(db, { viewer, query: SearchCapabilitiesQuerySchema.parse(Object.fromEntries(new URLSearchParams(qs))) })).items.slice(0, 3).map((i) => i.name);
  const samples = { wether: await top("q=wether"), markdwon: await top("q=markdwon"), "curency convrter": await top("q=curency%20convrter") };
  log(`registry: top results — ${Object.entries(samples).map(([k, v]) => `"${k}" → ${v.join(", ")}`).join(" · ")}`);
  return { rounds: results, best: bestRound(results), per: [...per.entries()].map(([name, v]) => ({ name, latency: summarize(v) })), samples };
}

async function timePublishes(db: Db, owner: { id: string }, rounds: number, n: number, log: (line: string) => void) {
  const r = prng(7);
  const viewer = { userId: owner.id, role: "member" as const };
  const actor = { type: "user" as const, id: owner.id };
  const results: Round[] = [];
  let i = 0;
  const once = async () => {
    const topic = r.pick(TOPICS);
    const name = `Bench ${topic.word} ${r.pick(topic.nouns)} ${i}`;
    const slug = slugify(name);
    const manifest = manifestFor(r, name, slug, topic, "1.0.0") as Record<string, unknown>;
    const t0 = performance.now();
    await createCapability(db, { ownerId: owner.id, actor, source: { manifest }, via: "api" });
    // Half public (in review: two events), half private.
    await publishVersion(db, { slug, viewer, actor, input: { changelog: "First release.", visibility: i++ % 2 ? "public" : "private" } });
    return performance.now() - t0;
  };
  for (let w = 0; w < 20; w++) await once(); // warm-up
  for (let round = 1; round <= rounds; round++) {
    const lat: number[] = [];
    const before = cpuSnapshot();
    for (let k = 0; k < n; k++) lat.push(await once());
    const res = { latency: summarize(lat), cpu: cpuShare(before, cpuSnapshot()) };
    results.push(res);
    log(`registry: create-and-publish round ${round}: p50 ${ms(res.latency.p50)} ms, p99 ${ms(res.latency.p99)} ms over ${n}; ${describeShare(res.cpu)}`);
  }
  return { rounds: results, best: bestRound(results) };
}

export async function runRegistryBench(options: { log?: (line: string) => void } = {}): Promise<Record<string, unknown>> {
  const log = options.log ?? ((line: string) => console.log(line));
  const count = num("BENCH_REGISTRY_CAPABILITIES", 10_000);
  const bench = await startDatabase(log);
  try {
    const { db } = bench;
    const { users, viewer } = await loadCatalog(db, count, log);
    await bench.analyze();
    const search = await timeSearches(db, viewer, num("BENCH_REGISTRY_ROUNDS", 4), num("BENCH_REGISTRY_SEARCH_PASSES", 10), log);
    const publish = await timePublishes(db, users[1]!, num("BENCH_REGISTRY_ROUNDS", 4), num("BENCH_REGISTRY_PUBLISHES", 100), log);
    const pair = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)} ms`;
    const others = (r: Round) => (r.cpu ? `${r.cpu.othersPct}%` : "?");
    const rows: string[][] = [
      [`search, ${count} capabilities, best round p50 / p99`, pair(search.best.latency), "p99 ≤ 20 ms", search.best.latency.p99 <= 20 ? "meets" : "MISSES"],
      ["  every round", search.rounds.map((r) => `${ms(r.latency.p99)} (others ${others(r)})`).join(", "), "—", "info"],
      ...search.per.map((p) => [`  ${p.name} (all rounds)`, pair(p.latency), "—", "info"]),
      ["create + publish, best round p50 / p99", pair(publish.best.latency), "p99 ≤ 50 ms", publish.best.latency.p99 <= 50 ? "meets" : "MISSES"],
      ["  every round", publish.rounds.map((r) => `${ms(r.latency.p99)} (others ${others(r)})`).join(", "), "—", "info"],
    ];
    console.log("");
    console.log(`registry benchmark — ${os.cpus()[0]?.model.trim() ?? "cpu"} × ${os.cpus().length}, load ${os.loadavg().map((l) => round(l, 2)).join(" ")}; p99 per round in ms, with the CPU share other processes took`);
    console.log(table(["figure", "measured", "target", ""], rows));
    console.log("");
    const rs = (s: Summary) => roundSummary(s);
    const roundsOut = (rr: Round[]) => rr.map((r) => ({ latencyMs: rs(r.latency), cpu: r.cpu }));
    return {
      capabilities: count,
      search: { best: rs(search.best.latency), rounds: roundsOut(search.rounds), byQuery: search.per.map((p) => ({ name: p.name, latencyMs: rs(p.latency) })), topResults: search.samples, target: { p99MaxMs: 20 } },
      createAndPublish: { best: rs(publish.best.latency), rounds: roundsOut(publish.rounds), target: { p99MaxMs: 50 } },
      machine: { cpu: os.cpus()[0]?.model.trim(), cores: os.cpus().length, loadAverage: os.loadavg().map((l) => round(l, 2)) },
    };
  } finally {
    await bench.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRegistryBench()
    .then(() => setTimeout(() => process.exit(0), 100).unref())
    .catch((err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exit(1);
    });
}

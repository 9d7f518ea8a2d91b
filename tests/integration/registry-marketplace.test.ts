// The marketplace through its real route handlers over ~30 realistic capabilities:
// typo-tolerant ranked search, filters, sorts with keyset pagination (no overlap, no
// gap), install counts and ratings computed from real rows, reviews (one per user,
// editable, not by the author), the detail page and "used with".
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { newId } from "../../lib/ids";
import { decideVersionReview } from "../../lib/registry/decide-version-review";
import { createCapability } from "../../lib/registry/create-capability";
import { publishVersion } from "../../lib/registry/publish-version";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { bearer, call, makeToken, makeUser, useAppDatabase } from "./helpers/app";

let t: TestDatabase;
let routes: {
  caps: typeof import("../../app/api/capabilities/route");
  cap: typeof import("../../app/api/capabilities/[slug]/route");
  reviews: typeof import("../../app/api/capabilities/[slug]/reviews/route");
  categories: typeof import("../../app/api/capabilities/categories/route");
};
type User = Awaited<ReturnType<typeof makeUser>>;
let alice: User, bob: User, carol: User, admin: User;
let aliceToken: string, bobToken: string, carolToken: string;

type Handler = Parameters<typeof call>[0];
const send = (handler: unknown, token: string, o: { method?: string; path: string; params?: Record<string, string>; json?: unknown }) =>
  call(handler as Handler, { ...o, headers: bearer(token) });

interface Spec {
  slug: string;
  name: string;
  category: string;
  description: string;
  tags?: string[];
  /** An HTTP endpoint makes it declarative and network-bound; otherwise it is a code capability. */
  endpoint?: string;
  method?: "GET" | "POST";
  permissions?: string[];
  owner?: "alice" | "bob";
}

const SPECS: Spec[] = [
  { slug: "weather-lookup", name: "Weather Lookup", category: "web", description: "Current temperature, humidity and conditions for any city.", tags: ["weather", "forecast"], endpoint: "https://api.open-meteo.com/v1/forecast" },
  { slug: "feather-icons", name: "Feather Icons", category: "media", description: "Find an SVG icon from the Feather set by name.", tags: ["icons", "svg"] },
  { slug: "ether-price-tracker", name: "Ether Price Tracker", category: "finance", description: "The current ETH price in any fiat currency.", tags: ["crypto"], endpoint: "https://api.coingecko.com/api/v3/simple/price" },
  { slug: "travel-planner", name: "Travel Planner", category: "productivity", description: "Plans a trip day by day and checks the weather forecast for each stop.", tags: ["travel"] },
  { slug: "web-scraper", name: "Web Scraper", category: "web", description: "Fetches a page and extracts its readable text.", endpoint: "https://r.jina.ai/" },
  { slug: "webhook-sender", name: "Webhook Sender", category: "integration", description: "Posts a JSON payload to a webhook URL.", endpoint: "https://hooks.example.com/post", method: "POST", owner: "bob" },
  { slug: "csv-statistics", name: "CSV Statistics", category: "data", description: "Mean, median, standard deviation and outliers of a CSV column.", tags: ["csv", "statistics"] },
  { slug: "json-path-extractor", name: "JSON Path Extractor", category: "data", description: "Pulls values out of JSON documents with a path such as data.items[0].name.", tags: ["json"] },
  { slug: "markdown-to-html", name: "Markdown to HTML", category: "text", description: "Renders Markdown text into safe HTML.", tags: ["markdown", "html"] },
  { slug: "regex-extractor", name: "Regex Extractor", category: "text", description: "Finds every match of a regular expression in a text.", tags: ["regex"] },
  { slug: "date-calculator", name: "Date Calculator", category: "utilities", description: "Adds or subtracts days, weeks and months; counts business days.", tags: ["dates"] },
  { slug: "checksum-generator", name: "Checksum Generator", category: "developer", description: "SHA-256, SHA-1 and MD5 checksums of a text.", tags: ["hash"] },
  { slug: "unit-converter", name: "Unit Converter", category: "utilities", description: "Converts lengths, weights, volumes and temperatures.", tags: ["units"] },
  { slug: "currency-converter", name: "Currency Converter", category: "finance", description: "Converts an amount between currencies at today's rate.", tags: ["currency", "money"], endpoint: "https://api.frankfurter.app/latest", owner: "bob" },
  { slug: "github-issues", name: "GitHub Issues", category: "developer", description: "Lists and opens issues in a GitHub repository.", tags: ["github"], endpoint: "https://api.github.com/repos", method: "POST", owner: "bob" },
  { slug: "slack-messenger", name: "Slack Messenger", category: "communication", description: "Sends a message to a Slack channel.", tags: ["slack", "chat"], endpoint: "https://slack.com/api/chat.postMessage", method: "POST" },
  { slug: "email-sender", name: "Email Sender", category: "communication", description: "Sends an email through the connected account.", permissions: ["integration.email"] },
  { slug: "calendar-sync", name: "Calendar Sync", category: "productivity", description: "Reads and creates events in your calendar.", permissions: ["integration.calendar"] },
  { slug: "text-summarizer", name: "Text Summarizer", category: "ai", description: "Summarizes long text into a few sentences.", permissions: ["ai.call"], tags: ["summary"] },
  { slug: "sentiment-analyzer", name: "Sentiment Analyzer", category: "ai", description: "Scores the sentiment of a text from negative to positive.", permissions: ["ai.call"] },
  { slug: "timezone-converter", name: "Timezone Converter", category: "utilities", description: "Converts a time between time zones.", tags: ["time"] },
  { slug: "qr-code-generator", name: "QR Code Generator", category: "media", description: "Makes a QR code image from a text or URL." },
  { slug: "password-generator", name: "Password Generator", category: "utilities", description: "Generates strong random passwords." },
  { slug: "word-counter", name: "Word Counter", category: "text", description: "Counts words, sentences and characters.", owner: "bob" },
  { slug: "lorem-ipsum", name: "Lorem Ipsum Generator", category: "text", description: "Placeholder text in paragraphs or words." },
  { slug: "url-shortener", name: "URL Shortener", category: "web", description: "Shortens a long URL.", endpoint: "https://is.gd/create.php" },
  { slug: "spell-checker", name: "Spell Checker", category: "text", description: "Finds spelling mistakes and suggests fixes." },
  { slug: "translation-helper", name: "Translation Helper", category: "text", description: "Translates text between languages with a language model.", permissions: ["ai.call"] },
  { slug: "image-resizer", name: "Image Resizer", category: "media", description: "Resizes and crops images.", permissions: ["file.read", "file.write"] },
  { slug: "wetransfer-upload", name: "WeTransfer Upload", category: "integration", description: "Uploads a file and returns a download link.", endpoint: "https://wetransfer.com/api/v4/transfers", method: "POST", permissions: ["file.read"] },
];

function manifestOf(s: Spec) {
  const common = { slug: s.slug, name: s.name, version: "1.0.0", category: s.category, description: s.description, tags: s.tags ?? [], permissions: s.permissions ?? [] };
  if (s.endpoint) {
    return {
      ...common,
      type: "declarative",
      actions: [{ id: "call", inputs: [{ name: "query", type: "string", required: true }], integration: { endpoint: s.endpoint, method: s.method ?? "GET", params: { q: "${input.query}" } } }],
    };
  }
  return {
    ...common,
    type: "code",
    actions: [{ id: "run", inputs: [{ name: "text", type: "string" }] }],
    source: `export default { actions: { async run(input) { return { length: String(input.text ?? "").length }; } } };`,
  };
}

const versionIds = new Map<string, string>();
const capIds = new Map<string, string>();
const ownerOf = (s: Spec) => (s.owner === "bob" ? bob : alice);

async function installOn(agentId: string, slug: string) {
  await t.db.installation.create({
    data: { id: newId("ins"), agentId, capabilityId: capIds.get(slug)!, versionId: versionIds.get(slug)!, grantedPermissions: [], installedById: carol.id },
  });
}

async function searchAll(token: string, query: string, limit = 7): Promise<{ slug: string }[][]> {
  const pages: { slug: string }[][] = [];
  let cursor: string | null = null;
  do {
    const res = await send(routes.caps.GET, token, { path: `/api/capabilities?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}` });
    expect(res.status).toBe(200);
    const body = await res.json();
    pages.push(body.items);
    cursor = body.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

beforeAll(async () => {
  t = await createTestDatabase();
  useAppDatabase(t);
  routes = {
    caps: await import("../../app/api/capabilities/route"),
    cap: await import("../../app/api/capabilities/[slug]/route"),
    reviews: await import("../../app/api/capabilities/[slug]/reviews/route"),
    categories: await import("../../app/api/capabilities/categories/route"),
  };
  [alice, bob, carol, admin] = [await makeUser(t), await makeUser(t), await makeUser(t), await makeUser(t, "admin")];
  const scopes = ["capabilities:read", "capabilities:write"] as const;
  [aliceToken, bobToken, carolToken] = [(await makeToken(t, alice, [...scopes])).token, (await makeToken(t, bob, [...scopes])).token, (await makeToken(t, carol, [...scopes])).token];
  for (const s of SPECS) {
    const owner = ownerOf(s);
    const viewer = { userId: owner.id, role: owner.role };
    const actor = { type: "user" as const, id: owner.id };
    const cap = await createCapability(t.db, { ownerId: owner.id, actor, source: { manifest: manifestOf(s) }, via: "api" });
    const v = await publishVersion(t.db, { slug: s.slug, viewer, actor, input: { changelog: "First release.", visibility: "public" } });
    await decideVersionReview(t.db, { slug: s.slug, version: "1.0.0", viewer: { userId: admin.id, role: "admin" }, actor: { type: "user", id: admin.id }, input: { decision: "approve" } });
    capIds.set(s.slug, cap.id);
    versionIds.set(s.slug, v.id);
  }
  // One private capability of alice's that nobody else may find.
  await createCapability(t.db, { ownerId: alice.id, actor: { type: "user", id: alice.id }, source: { manifest: manifestOf({ slug: "weather-private", name: "Weather Private Notes", category: "web", description: "Alice's own." }) }, via: "api" });
});
afterAll(() => t.drop());

describe("search", () => {
  test('"wether" finds Weather Lookup first', async () => {
    const res = await send(routes.caps.GET, carolToken, { path: "/api/capabilities?q=wether" });
    const body = await res.json();
    expect(body.items[0]).toMatchObject({ slug: "weather-lookup", name: "Weather Lookup", needsNetwork: true, latestVersion: "1.0.0", risk: "medium" });
    expect(body.items.map((i: { slug: string }) => i.slug)).not.toContain("weather-private");
  });

  test.each([
    ["weather", "weather-lookup"],
    ["Weather lookup", "weather-lookup"],
    ["csv stats", "csv-statistics"],
    ["markdwon", "markdown-to-html"],
    ["convert currency", "currency-converter"],
    ["json path", "json-path-extractor"],
    ["timezone", "timezone-converter"],
    ["slack", "slack-messenger"],
    ["summarize", "text-summarizer"],
  ])("%s → %s first", async (q, slug) => {
    const body = await (await send(routes.caps.GET, carolToken, { path: `/api/capabilities?q=${encodeURIComponent(q)}` })).json();
    expect(body.items[0]?.slug).toBe(slug);
  });

  test("full text reaches descriptions too, ranked below name matches", async () => {
    const slugs = (await (await send(routes.caps.GET, carolToken, { path: "/api/capabilities?q=weather" })).json()).items.map((i: { slug: string }) => i.slug);
    expect(slugs.indexOf("travel-planner")).toBeGreaterThan(slugs.indexOf("weather-lookup"));
    expect(slugs).toContain("travel-planner");
  });

  test("the owner finds their private capability; others do not", async () => {
    const mine = (await (await send(routes.caps.GET, aliceToken, { path: "/api/capabilities?q=weather%20private" })).json()).items.map((i: { slug: string }) => i.slug);
    expect(mine).toContain("weather-private");
    const theirs = (await (await send(routes.caps.GET, bobToken, { path: "/api/capabilities?q=weather%20private" })).json()).items.map((i: { slug: string }) => i.slug);
    expect(theirs).not.toContain("weather-private");
  });

  test("filters: category, type, risk, network, publisher, alone and combined", async () => {
    const expectSet = async (query: string, predicate: (s: Spec) => boolean) => {
      const got = (await searchAll(carolToken, query)).flat().map((i) => i.slug).sort();
      const want = SPECS.filter(predicate).map((s) => s.slug).sort();
      expect(want.length).toBeGreaterThan(0);
      expect(got, query).toEqual(want);
    };
    const isNetwork = (s: Spec) => !!s.endpoint;
    await expectSet("category=finance", (s) => s.category === "finance");
    await expectSet("category=text,media", (s) => s.category === "text" || s.category === "media");
    await expectSet("type=declarative", isNetwork);
    await expectSet("type=code", (s) => !isNetwork(s));
    await expectSet("network=true", isNetwork);
    await expectSet("network=false", (s) => !isNetwork(s));
    await expectSet("risk=high", (s) => s.method === "POST" || !!s.permissions?.some((p) => ["integration.email", "integration.calendar", "file.write"].includes(p)));
    await expectSet(`publisher=${bob.id}`, (s) => s.owner === "bob");
    await expectSet(`publisher=${bob.id}&network=true&sort=newest`, (s) => s.owner === "bob" && isNetwork(s));
    await expectSet("category=text&network=false&q=text", (s) => s.category === "text" && !isNetwork(s) && /text/i.test(`${s.name} ${s.description}`));
    // An unknown filter value is a 400 naming the parameter.
    const bad = await send(routes.caps.GET, carolToken, { path: "/api/capabilities?category=nope" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toEqual({ path: "query.category[0]", message: expect.stringContaining("finance") });
  });

  test("installs and ratings come from real rows, and sorts paginate without overlap or gap", async () => {
    // Fresh capabilities show zero installs and no rating.
    const before = (await (await send(routes.caps.GET, carolToken, { path: "/api/capabilities?q=regex" })).json()).items[0];
    expect(before).toMatchObject({ slug: "regex-extractor", installs: 0, rating: { average: null, count: 0 } });

    // Three agents of carol's with some capabilities installed.
    const agents = [];
    for (let i = 0; i < 3; i++) {
      const id = newId("agt");
      await t.db.agent.create({ data: { id, ownerId: carol.id, name: `Agent ${i}` } });
      agents.push(id);
    }
    for (const a of agents) await installOn(a, "regex-extractor");
    for (const a of agents.slice(0, 2)) await installOn(a, "csv-statistics");
    await installOn(agents[0]!, "weather-lookup");
    await installOn(agents[1]!, "date-calculator");

    // Reviews: regex 5 and 3 (avg 4), csv 5, weather 2.
    const review = async (token: string, slug: string, rating: number) =>
      expect((await send(routes.reviews.POST, token, { method: "POST", path: "/x", params: { slug }, json: { rating, body: `${rating} stars` } })).status).toBe(201);
    await review(carolToken, "regex-extractor", 5);
    await review(bobToken, "regex-extractor", 3);
    await review(carolToken, "csv-statistics", 5);
    await review(carolToken, "weather-lookup", 2);

    const card = async (slug: string) => (await (await send(routes.caps.GET, carolToken, { path: `/api/capabilities?q=${slug}` })).json()).items.find((i: { slug: string }) => i.slug === slug);
    expect(await card("regex-extractor")).toMatchObject({ installs: 3, rating: { average: 4, count: 2 } });
    expect(await card("csv-statistics")).toMatchObject({ installs: 2, rating: { average: 5, count: 1 } });
    expect(await card("spell-checker")).toMatchObject({ installs: 0, rating: { average: null, count: 0 } });

    for (const sort of ["installs", "rating", "newest", "relevance"]) {
      for (const q of ["", "&q=er"]) {
        const all = (await (await send(routes.caps.GET, carolToken, { path: `/api/capabilities?sort=${sort}${q}&limit=200` })).json()).items.map((i: { slug: string }) => i.slug);
        const pages = await searchAll(carolToken, `sort=${sort}${q}`, 4);
        const paged = pages.flat().map((i) => i.slug);
        expect(new Set(paged).size, `${sort}${q}: no overlap`).toBe(paged.length);
        expect(paged, `${sort}${q}: same order as one page`).toEqual(all);
        expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);
      }
    }
    const byInstalls = (await (await send(routes.caps.GET, carolToken, { path: "/api/capabilities?sort=installs&limit=3" })).json()).items.map((i: { slug: string }) => i.slug);
    expect(byInstalls.slice(0, 2)).toEqual(["regex-extractor", "csv-statistics"]);
    const byRating = (await (await send(routes.caps.GET, carolToken, { path: "/api/capabilities?sort=rating&limit=4" })).json()).items.map((i: { slug: string }) => i.slug);
    expect(byRating.slice(0, 3)).toEqual(["csv-statistics", "regex-extractor", "weather-lookup"]);
    const newest = (await (await send(routes.caps.GET, carolToken, { path: "/api/capabilities?sort=newest&limit=1" })).json()).items[0].slug;
    expect(newest).toBe(SPECS[SPECS.length - 1]!.slug);

    // A cursor from one sort is refused by another.
    const first = await (await send(routes.caps.GET, carolToken, { path: "/api/capabilities?sort=installs&limit=2" })).json();
    const mixed = await send(routes.caps.GET, carolToken, { path: `/api/capabilities?sort=rating&limit=2&cursor=${first.nextCursor}` });
    expect(mixed.status).toBe(400);
  });

  test("categories come with counts of what the viewer can see", async () => {
    const body = await (await send(routes.categories.GET, bobToken, { path: "/api/capabilities/categories" })).json();
    const counts = Object.fromEntries(body.items.map((i: { category: string; count: number }) => [i.category, i.count]));
    expect(counts.text).toBe(SPECS.filter((s) => s.category === "text").length);
    expect(counts.web).toBe(SPECS.filter((s) => s.category === "web").length); // alice's private one is not counted for bob
    expect(counts.system).toBe(0);
  });
});

describe("reviews", () => {
  test("one per user: a second POST edits it; evented in the same transaction", async () => {
    const first = await send(routes.reviews.POST, bobToken, { method: "POST", path: "/x", params: { slug: "unit-converter" }, json: { rating: 2, body: "Missing nautical miles." } });
    expect(first.status).toBe(201);
    const a = await first.json();
    const second = await send(routes.reviews.POST, bobToken, { method: "POST", path: "/x", params: { slug: "unit-converter" }, json: { rating: 4, body: "Now has nautical miles." } });
    expect(second.status).toBe(200);
    const b = await second.json();
    expect(b).toMatchObject({ id: a.id, rating: 4, body: "Now has nautical miles.", created: false, author: { id: bob.id } });
    expect(await t.db.review.count({ where: { capability: { slug: "unit-converter" } } })).toBe(1);
    const [row] = await t.db.$queryRawUnsafe<{ x: string }[]>(`SELECT xmin::text AS x FROM reviews WHERE id = $1`, a.id);
    const [ev] = await t.db.$queryRawUnsafe<{ x: string; data: unknown }[]>(`SELECT xmin::text AS x, data FROM events WHERE type = 'review.saved' AND subject_id = $1 ORDER BY seq DESC LIMIT 1`, a.id);
    expect(ev).toEqual({ x: row!.x, data: { slug: "unit-converter", rating: 4, created: false } });
    const list = await (await send(routes.reviews.GET, carolToken, { path: "/x", params: { slug: "unit-converter" } })).json();
    expect(list).toEqual({ items: [expect.objectContaining({ id: a.id, rating: 4 })], nextCursor: null });
  });

  test("the author cannot review their own; bad ratings are 422; private capabilities are 404", async () => {
    const events = async () => t.db.event.count({ where: { type: "review.saved" } });
    const n = await events();
    const own = await send(routes.reviews.POST, aliceToken, { method: "POST", path: "/x", params: { slug: "spell-checker" }, json: { rating: 5, body: "mine is great" } });
    expect(own.status).toBe(403);
    const six = await send(routes.reviews.POST, bobToken, { method: "POST", path: "/x", params: { slug: "spell-checker" }, json: { rating: 6 } });
    expect(six.status).toBe(422);
    expect((await six.json()).errors).toEqual([{ path: "rating", message: "from 1 to 5 stars" }]);
    const hidden = await send(routes.reviews.POST, bobToken, { method: "POST", path: "/x", params: { slug: "weather-private" }, json: { rating: 1 } });
    expect(hidden.status).toBe(404);
    expect(await events()).toBe(n);
  });
});

describe("detail", () => {
  test("shows actions, permissions explained, config without values, versions, rating, reviews, security report and used-with", async () => {
    const res = await send(routes.cap.GET, carolToken, { path: "/api/capabilities/csv-statistics", params: { slug: "csv-statistics" } });
    expect(res.status).toBe(200);
    const d = await res.json();
    expect(d).toMatchObject({
      slug: "csv-statistics",
      name: "CSV Statistics",
      type: "code",
      publisher: { id: alice.id, verified: false },
      version: { version: "1.0.0", status: "published", reviewState: "approved", changelog: "First release.", contentHash: expect.stringMatching(/^sha256:/) },
      actions: [{ id: "run", inputs: [{ name: "text", type: "string", required: false }] }],
      installs: 2,
      rating: { average: 5, count: 1, histogram: { "5": 1, "1": 0 } },
      reviews: [expect.objectContaining({ rating: 5, author: { id: carol.id, name: carol.name } })],
      myReview: { rating: 5 },
      viewer: { canEdit: false, canReview: true },
      draft: null,
    });
    expect(d.securityReport).toMatchObject({ verdict: "clean", analysis: "code" });
    // Installed on the same agents: regex on both, weather and date on one each.
    expect(d.usedWith.map((u: { slug: string; agents: number }) => [u.slug, u.agents])).toEqual([
      ["regex-extractor", 2],
      ["date-calculator", 1],
      ["weather-lookup", 1],
    ]);

    const weather = await (await send(routes.cap.GET, carolToken, { path: "/x", params: { slug: "weather-lookup" } })).json();
    expect(weather.permissions).toEqual([expect.objectContaining({ name: "network.http.get", risk: "medium", label: expect.any(String), explanation: expect.stringContaining("GET") })]);
    expect(weather.allowedDomains).toEqual(["api.open-meteo.com"]);
  });

  test("configuration lists keys and types, never a value", async () => {
    const owner = { userId: alice.id, role: alice.role };
    const actor = { type: "user" as const, id: alice.id };
    await createCapability(t.db, {
      ownerId: alice.id,
      actor,
      via: "api",
      source: {
        manifest: {
          ...manifestOf({ slug: "configured", name: "Configured Thing", category: "web", description: "Needs a key.", endpoint: "https://api.example.com/v1" }),
          configuration: [
            { key: "API_KEY", label: "API key", type: "secret", required: true, default: "sk-should-never-show" },
            { key: "REGION", type: "string", default: "eu-west-1" },
          ],
        },
      },
    });
    await publishVersion(t.db, { slug: "configured", viewer: owner, actor, input: { changelog: "1" } });
    const d = await (await send(routes.cap.GET, aliceToken, { path: "/x", params: { slug: "configured" } })).json();
    expect(d.configuration).toEqual([
      { key: "API_KEY", label: "API key", type: "secret", required: true, description: null, helpUrl: null },
      { key: "REGION", label: "REGION", type: "string", required: false, description: null, helpUrl: null },
    ]);
    expect(JSON.stringify(d.configuration)).not.toContain("sk-should-never-show");
  });
});

// What `capreg init` writes: a capability folder per type with a manifest that validates,
// its source (code: index.js next to capability.yaml, named by `source_file:`), an example
// that doubles as the test case (`examples: [{ action, input, expected_output }]`, run by
// `capreg test`) and a README saying what to do next. Pure: returns files, writes nothing.

export const INIT_TYPES = ["code", "declarative", "api-connector", "workflow"] as const;
export type InitType = (typeof INIT_TYPES)[number];

export interface ScaffoldFile {
  path: string;
  content: string;
}

export function slugFromName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  return s || "my-capability";
}

const titleOf = (slug: string) => slug.split("-").map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join(" ");

function readme(slug: string, type: InitType, extra: string[]): string {
  return [
    `# ${titleOf(slug)}`,
    "",
    `A ${type} capability for the Capability Registry.`,
    "",
    "```sh",
    "capreg validate        # every manifest error with its path",
    "capreg test            # runs the examples in the server's sandbox (expected_output is checked)",
    "capreg publish         # publishes the version in capability.yaml (bump it for the next one)",
    "```",
    "",
    ...extra,
    "The `examples` in capability.yaml are the test cases: `action`, `input` and `expected_output`.",
    "",
  ].join("\n");
}

export function scaffold(type: InitType, slug: string): ScaffoldFile[] {
  const name = titleOf(slug);
  if (type === "code") {
    return [
      {
        path: "capability.yaml",
        content: `# A code capability: the module in index.js runs in the registry's sandbox (isolated-vm).
# \`capreg\` inlines the file named by source_file into the manifest's \`source\` before
# validating, testing or publishing it.
type: code
slug: ${slug}
name: ${name}
version: 0.1.0
description: Counts the words and characters of a text.
category: text
permissions:
  - compute.light
source_file: index.js
actions:
  - id: stats
    name: Text statistics
    inputs:
      - name: text
        type: string
        required: true
    outputs:
      - name: words
        type: integer
      - name: characters
        type: integer
examples:
  - action: stats
    name: Two words
    input:
      text: hello world
    expected_output:
      words: 2
      characters: 11
`,
      },
      {
        path: "index.js",
        content: `// Each action is a function of (input, ctx): input is the validated action input; ctx has
// log, config and the host abilities the installation granted (fetch, kv…).
export default {
  actions: {
    async stats(input, ctx) {
      const text = String(input.text ?? "");
      ctx.log("counting", text.length, "characters");
      const words = text.trim() ? text.trim().split(/\\s+/).length : 0;
      return { words, characters: text.length };
    },
  },
};
`,
      },
      { path: "README.md", content: readme(slug, type, ["The code lives in index.js (named by `source_file` in capability.yaml).", ""]) },
    ];
  }
  if (type === "declarative") {
    return [
      {
        path: "capability.yaml",
        content: `# A declarative capability: one HTTP call per action, described, not programmed.
type: declarative
slug: ${slug}
name: ${name}
version: 0.1.0
description: Looks up the current weather for a place.
category: web
permissions:
  - network.http.get
allowed_domains:
  - api.open-meteo.com
actions:
  - id: current
    name: Current weather
    inputs:
      - name: latitude
        type: number
        required: true
      - name: longitude
        type: number
        required: true
    outputs:
      - name: temperature
        type: number
    integration:
      endpoint: https://api.open-meteo.com/v1/forecast
      method: GET
      params:
        latitude: "\${input.latitude}"
        longitude: "\${input.longitude}"
        current: temperature_2m
      response_mapping:
        temperature: current.temperature_2m
examples:
  - action: current
    name: Oslo
    input:
      latitude: 59.91
      longitude: 10.75
`,
      },
      { path: "README.md", content: readme(slug, type, ["The example has no expected_output (the weather changes): `capreg test` only checks that it runs.", ""]) },
    ];
  }
  if (type === "api-connector") {
    return [
      {
        path: "capability.yaml",
        content: `# An API connector: a base URL, an auth kind and one endpoint per action.
type: api-connector
slug: ${slug}
name: ${name}
version: 0.1.0
description: Reads posts from a JSON API.
category: integration
permissions:
  - network.http.get
allowed_domains:
  - jsonplaceholder.typicode.com
api:
  base_url: https://jsonplaceholder.typicode.com
  auth:
    type: none
endpoints:
  - id: get_post
    name: Get a post
    method: GET
    path: /posts/\${input.id}
    inputs:
      - name: id
        type: integer
        required: true
    outputs:
      - name: title
        type: string
    response_mapping:
      title: title
examples:
  - action: get_post
    name: The first post
    input:
      id: 1
`,
      },
      { path: "README.md", content: readme(slug, type, ["An authenticated API: set `auth` (api_key, bearer, basic, oauth2); the installer supplies the secret.", ""]) },
    ];
  }
  return [
    {
      path: "capability.yaml",
      content: `# A workflow: steps run as a graph. Built-in steps (transform, condition, validate) need
# nothing installed; a step whose action is <slug>.<action> calls an installed capability.
type: workflow
slug: ${slug}
name: ${name}
version: 0.1.0
description: Greets someone by name.
category: productivity
actions:
  - id: run
    name: Greet
    inputs:
      - name: name
        type: string
        required: true
    outputs:
      - name: greeting
        type: string
workflow:
  steps:
    - id: greet
      action: transform
      inputs:
        greeting: "Hello, \${input.name}!"
examples:
  - action: run
    name: Ada
    input:
      name: Ada
    expected_output:
      greeting: Hello, Ada!
`,
    },
    { path: "README.md", content: readme(slug, type, ["Add steps under `workflow.steps`; `depends_on` and templates (`${steps.greet.output.greeting}`) order them.", ""]) },
  ];
}

#!/usr/bin/env node
// The `capreg` bin (package.json "bin"): loads the TypeScript CLI (lib/cli/main.ts) through
// tsx, resolving every path from this file, so it runs the same from the project (`npx
// capreg`, `npm exec capreg`), from a global install (`npm install -g .`) or a link.
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { register } from "tsx/esm/api";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
register({ tsconfig: path.join(root, "tsconfig.json") });
const { main } = await import(pathToFileURL(path.join(root, "lib/cli/main.ts")).href);
await main();

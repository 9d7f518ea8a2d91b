// capreg login / logout / whoami: store (or forget) the server URL and an API token. The
// token comes from --token, from stdin when it is not a terminal, or from a prompt that
// does not echo; it is checked with GET /api/me before anything is written.
import { ApiClient } from "../api-client";
import { CliError, EXIT } from "../cli-error";
import type { CliIo } from "../cli-io";
import type { Command } from "../command";
import { configFile, configPermissionProblem, deleteStoredConfig, normaliseUrl, resolveServer, writeStoredConfig } from "../config";
import { str } from "../parse-args";
import { readAllStdin } from "../secret-args";

interface Me {
  id: string;
  email: string;
  role: string;
  scopes: string[];
  via: string;
  tokenId: string | null;
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = io.stdin;
    io.stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    let value = "";
    const done = (err?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      io.stderr.write("\n");
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done();
        if (ch === "\u0003") return done(new CliError(EXIT.usage, "cancelled"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

export const login: Command = {
  name: "login",
  summary: "store the server URL and an API token (checked against the server)",
  usage: "capreg login --url <url> [--token <token>]",
  description: [
    "The token is read from --token, else from stdin when it is piped, else from a prompt that does not echo.",
    "Create a token in the web app (Settings → API tokens) with the scopes the commands you use need.",
    "Stored in $XDG_CONFIG_HOME/capreg/config.json (else ~/.config/capreg/config.json), mode 0600.",
    "CAPREG_URL and CAPREG_TOKEN override the stored values for one command.",
  ],
  options: {
    url: { type: "string", valueName: "url", description: "the server, e.g. http://localhost:3000 (default: CAPREG_URL)" },
    token: { type: "string", valueName: "token", description: "the API token (prefer stdin or the prompt: argv lands in shell history)" },
  },
  positionals: { min: 0, max: 0 },
  examples: ["capreg login --url http://localhost:3000", "pass show capreg | capreg login --url https://registry.example.com"],
  async run({ io, out, args }) {
    const rawUrl = str(args.values.url) ?? io.env.CAPREG_URL;
    if (!rawUrl) throw new CliError(EXIT.usage, "login: give the server with --url", { hint: "e.g. capreg login --url http://localhost:3000" });
    const url = normaliseUrl(rawUrl);
    let token = str(args.values.token);
    if (!token) {
      if (io.stdin.isTTY) token = await promptHidden(io, `API token for ${url}: `);
      else token = await readAllStdin(io.stdin);
    }
    token = token.trim();
    if (!token) throw new CliError(EXIT.usage, "login: no token given", { hint: "pipe it on stdin, type it at the prompt, or pass --token" });
    const me = (await new ApiClient(url, token).get<Me>("/api/me")).body;
    const file = writeStoredConfig(io.env, { url, token, email: me.email, savedAt: new Date().toISOString() });
    out.result({ url, user: { id: me.id, email: me.email, role: me.role }, scopes: me.scopes, configFile: file }, [
      `Logged in to ${url} as ${me.email} (${me.role}).`,
      `Token scopes: ${me.scopes.join(", ") || "none"}`,
      `Saved to ${file} (mode 0600).`,
    ]);
    return EXIT.ok;
  },
};

export const logout: Command = {
  name: "logout",
  summary: "forget the stored URL and token",
  usage: "capreg logout",
  description: ["Deletes the stored configuration file. The token itself stays valid: revoke it in the web app if it may have leaked."],
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ io, out }) {
    const file = configFile(io.env);
    const removed = deleteStoredConfig(io.env);
    out.result({ removed, configFile: file }, removed ? `Logged out (removed ${file}). Revoke the token in the web app if it may have leaked.` : "Not logged in: nothing to remove.");
    return EXIT.ok;
  },
};

export const whoami: Command = {
  name: "whoami",
  summary: "show the server and the user the token belongs to",
  usage: "capreg whoami",
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ io, out, client }) {
    const server = resolveServer(io.env);
    const problem = configPermissionProblem(io.env);
    if (problem) out.warn(problem);
    const c = client();
    const me = (await c.get<Me>("/api/me")).body;
    out.result({ url: c.baseUrl, user: { id: me.id, email: me.email, role: me.role }, scopes: me.scopes, tokenSource: server?.source.token }, [
      `${me.email} (${me.role}) on ${c.baseUrl}`,
      `scopes: ${me.scopes.join(", ") || "none"}`,
      `token: ${server?.source.token === "env" ? "from CAPREG_TOKEN" : `stored in ${configFile(io.env)}`}`,
    ]);
    return EXIT.ok;
  },
};

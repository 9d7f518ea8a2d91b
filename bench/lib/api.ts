// HTTP helpers against a running server: credentials sign-in (next-auth), API token
// creation, and timed requests.

function cookiesFrom(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of res.headers.getSetCookie()) {
    const pair = c.split(";")[0] ?? "";
    const i = pair.indexOf("=");
    if (i > 0) out.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
  }
  return out;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

/** Signs in with email + password and returns the Cookie header value of the session. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  if (csrfRes.status !== 200) throw new Error(`GET /api/auth/csrf: HTTP ${csrfRes.status}`);
  for (const [k, v] of cookiesFrom(csrfRes)) jar.set(k, v);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar), origin: baseUrl },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }).toString(),
  });
  await res.text();
  for (const [k, v] of cookiesFrom(res)) jar.set(k, v);
  const session = [...jar.keys()].find((k) => k.endsWith("next-auth.session-token"));
  if (!session) throw new Error(`sign-in failed: HTTP ${res.status}, no session cookie`);
  return `${session}=${jar.get(session)}`;
}

export async function createToken(baseUrl: string, cookie: string, scopes: string[]): Promise<string> {
  const res = await fetch(`${baseUrl}/api/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: baseUrl },
    body: JSON.stringify({ name: `bench ${new Date().toISOString()}`, scopes }),
  });
  const body = (await res.json()) as { token?: string };
  if (res.status !== 201 || !body.token) throw new Error(`POST /api/tokens: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body.token;
}

export interface TimedResponse<T> {
  ms: number;
  status: number;
  body: T;
}

/** GET with a bearer token; the time covers the whole body being read. */
export async function timedGet<T>(url: string, token: string): Promise<TimedResponse<T>> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { ms, status: res.status, body: JSON.parse(text) as T };
}

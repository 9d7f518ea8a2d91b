// The server (scripts/start.ts) writes the socket's address into this header, replacing
// any value a client sent, so route handlers can rate limit by IP.
export const CLIENT_IP_HEADER = "x-capreg-client-ip";

export function getClientIp(headers: Headers): string | null {
  return headers.get(CLIENT_IP_HEADER);
}

// The one error type of the outbound-request guard. Messages name at most a host and a
// reason: never a URL's query, a header or a body, which may carry secrets.
export type NetErrorCode =
  | "bad_url"
  | "blocked_address"
  | "domain_not_allowed"
  | "too_many_redirects"
  | "timeout"
  | "response_too_large"
  | "network_error";

export class NetError extends Error {
  readonly code: NetErrorCode;

  constructor(code: NetErrorCode, message: string) {
    super(message);
    this.name = "NetError";
    this.code = code;
  }
}

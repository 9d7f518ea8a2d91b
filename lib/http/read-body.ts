// Reads a JSON request body with a hard size limit (counted while streaming, so a
// chunked upload cannot exceed it) and a media-type check.
import { AppError } from "../errors";

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readJsonBody(req: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw new AppError("payload_too_large", `request body exceeds ${maxBytes} bytes`);
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!req.body) {
    if (!type) return undefined;
  }
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new AppError("unsupported_media_type", "send the body as application/json");
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new AppError("payload_too_large", `request body exceeds ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError("bad_request", "the body is not valid JSON", {
      errors: [{ path: "(body)", message: err instanceof Error ? err.message : "invalid JSON" }],
    });
  }
}

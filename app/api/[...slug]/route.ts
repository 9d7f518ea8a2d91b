// Any other /api path – a problem+json 404 instead of an HTML page
import { AppError } from "@/lib/errors";
import { errorToResponse } from "@/lib/http/problem";
import { newId } from "@/lib/ids";

const notFound = (req: Request) =>
  errorToResponse(new AppError("not_found", `no API route ${new URL(req.url).pathname}`), req.headers.get("x-request-id") ?? newId("req"));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as HEAD, notFound as OPTIONS };

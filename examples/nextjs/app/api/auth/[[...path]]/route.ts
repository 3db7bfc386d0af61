// The app router's auth API, as in the SDK's Next.js guide: every method of the catch-all route
// goes to Portcullis (sign-up, sign-in, refresh, sign-out, passwordless codes and links...).
import SuperTokens from "portcullis";
import { getAppDirRequestHandler } from "portcullis/nextjs";
import { backendConfig } from "@/app/config/backend";

SuperTokens.init(backendConfig());

const handleCall = getAppDirRequestHandler();

export async function GET(request: Request) {
  const res = await handleCall(request);
  // Answers that carry session tokens must never be cached.
  if (!res.headers.has("Cache-Control")) {
    res.headers.set("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
  }
  return res;
}

export const POST = handleCall;
export const DELETE = handleCall;
export const PUT = handleCall;
export const PATCH = handleCall;
export const HEAD = handleCall;

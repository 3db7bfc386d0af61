// Next 16's proxy.ts (middleware.ts until Next 15; the old name still works but is deprecated).
// It runs on the Node runtime, which Portcullis needs (node:crypto, better-sqlite3); a
// middleware.ts on the edge runtime could not load it. Here it guards /api/members: no valid
// session, the FDI's 401 (or 403) and the route never runs; with one, the route gets the user id
// in a request header the proxy sets itself (one a client sent is overwritten).
import { NextResponse, type NextRequest } from "next/server";
import SuperTokens from "portcullis";
import { withSession } from "portcullis/nextjs";
import { backendConfig } from "@/app/config/backend";

SuperTokens.init(backendConfig());

export function proxy(request: NextRequest) {
  return withSession(request, async (err, session) => {
    if (err !== undefined || session === undefined) {
      return NextResponse.json({ message: "Internal Server Error" }, { status: 500 });
    }
    const headers = new Headers(request.headers);
    headers.set("x-user-id", session.getUserId());
    return NextResponse.next({ request: { headers } });
  });
}

export const config = {
  matcher: "/api/members/:path*",
};

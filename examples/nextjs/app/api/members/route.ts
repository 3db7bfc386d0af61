// Members only: proxy.ts verified the session before this runs and passed the user id on.
export async function GET(request: Request) {
  return Response.json({ userId: request.headers.get("x-user-id") });
}

// A server component reading the session with getSSRSession: the access token cookie verified where
// it stands (no refresh, no database write). No payload but a token means the frontend should
// refresh and come back.
import { cookies } from "next/headers";
import SuperTokens from "portcullis";
import { getSSRSession } from "portcullis/nextjs";
import { backendConfig } from "@/app/config/backend";

SuperTokens.init(backendConfig());

export default async function WhoAmI() {
  const { accessTokenPayload, hasToken, error } = await getSSRSession((await cookies()).getAll());
  if (error !== undefined) return <p id="state">session error</p>;
  if (accessTokenPayload === undefined) return <p id="state">{hasToken ? "refresh needed" : "signed out"}</p>;
  return <p id="state">signed in as {accessTokenPayload.sub}</p>;
}

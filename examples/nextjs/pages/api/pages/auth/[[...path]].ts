// The pages router's auth API, as in the SDK's Next.js guide (pages/api/auth/[[...path]].ts).
// Not in the guide: this example serves the auth API from both routers so a test can drive each;
// the app router has /api/auth, so this one answers at /api/pages/auth and hands Portcullis the
// path it routes on. An app with only the pages router names this file pages/api/auth/[[...path]].ts
// and drops the `req.url` line.
import type { NextApiRequest, NextApiResponse } from "next";
import type { Request, Response } from "express";
import supertokens from "portcullis";
import { superTokensNextWrapper } from "portcullis/nextjs";
import { middleware } from "portcullis/framework/express";
import { backendConfig } from "@/app/config/backend";

supertokens.init(backendConfig());

// Portcullis reads the body itself: its size limit, and JSON 400/413 answers instead of Next's text.
export const config = { api: { bodyParser: false } };

export default async function superTokens(req: NextApiRequest & Request, res: NextApiResponse & Response) {
  req.url = req.url?.replace(/^\/api\/pages\/auth/, "/api/auth");
  await superTokensNextWrapper(
    async (next) => {
      res.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
      await middleware()(req, res, next);
    },
    req,
    res,
  );
  if (!res.writableEnded) {
    res.status(404).json({ message: "Not found" });
  }
}

import { describe, expect, it } from "vitest";
import { normaliseSessionConfig } from "../recipes/session/config.js";
import { normaliseAppInfo, siteOf } from "./app-info.js";

describe("siteOf (public-suffix list)", () => {
  it("keeps hosts under one private suffix apart", () => {
    expect(siteOf("https://a.github.io")).not.toBe(siteOf("https://b.github.io"));
    expect(siteOf("https://api.myapp.vercel.app")).toBe(siteOf("https://myapp.vercel.app"));
  });

  it("groups subdomains of one registrable domain, multi-label suffixes included", () => {
    expect(siteOf("https://app.example.co.uk")).toBe(siteOf("https://api.example.co.uk"));
    expect(siteOf("https://example.co.uk")).not.toBe(siteOf("https://other.co.uk"));
    expect(siteOf("https://api.example.com:8443")).toBe(siteOf("https://www.example.com"));
  });

  it("separates schemes", () => {
    expect(siteOf("http://example.com")).not.toBe(siteOf("https://example.com"));
  });
});

describe("the default SameSite decision", () => {
  const sameSiteFor = (apiDomain: string, websiteDomain: string) =>
    normaliseSessionConfig(normaliseAppInfo({ appName: "x", apiDomain, websiteDomain }), undefined).getCookieSameSite({ request: undefined, userContext: {} });

  it("is None for two github.io sites and Lax for one registrable domain", () => {
    expect(sameSiteFor("https://api-owner.github.io", "https://web-owner.github.io")).toBe("none");
    expect(sameSiteFor("https://api.example.co.uk", "https://www.example.co.uk")).toBe("lax");
  });
});

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run.js";

const dir = mkdtempSync(join(tmpdir(), "portcullis-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], cwd = dir) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line), cwd });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("portcullis CLI", () => {
  it("prints help and exits 0", async () => {
    const result = await cli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/portcullis <command>/);
    expect(result.out).toMatch(/migrate/);
  });

  it("exits 1 with usage for no command, an unknown command or option", async () => {
    for (const argv of [[], ["serve"], ["migrate", "--force"], ["migrate", "--database"]]) {
      const result = await cli(argv);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/Usage:/);
    }
  });

  it("migrates an SQLite database, then reports it up to date", async () => {
    const url = `sqlite:${join(dir, "a", "cli.db")}`;
    const first = await cli(["migrate", "--database", url]);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toMatch(/Applied 0001_initial/);
    const second = await cli(["migrate", `--database=${url}`]);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/up to date/);
  });

  it("falls back to DATABASE_URL, then to ./data/portcullis.db under the working directory", async () => {
    const saved = process.env["DATABASE_URL"];
    try {
      process.env["DATABASE_URL"] = `sqlite:${join(dir, "env.db")}`;
      expect((await cli(["migrate"])).out).toContain(join(dir, "env.db"));
      delete process.env["DATABASE_URL"];
      const cwd = mkdtempSync(join(dir, "cwd-"));
      const result = await cli(["migrate"], cwd);
      expect(result.code).toBe(0);
      expect(result.out).toContain(join(cwd, "data", "portcullis.db"));
    } finally {
      if (saved === undefined) delete process.env["DATABASE_URL"];
      else process.env["DATABASE_URL"] = saved;
    }
  });

  it("migrates the namespace given by --table-prefix", async () => {
    const file = join(dir, "prefixed.db");
    const result = await cli(["migrate", "--database", `sqlite:${file}`, "--table-prefix=acme_"]);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toMatch(/Applied 0002_tokens_and_counters/);
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const tables = (db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[]).map((row) => row.name);
      expect(tables).toContain("acme_users");
      expect(tables.filter((name) => !name.startsWith("acme_"))).toEqual([]);
    } finally {
      db.close();
    }
    expect((await cli(["migrate", "--database", `sqlite:${file}`, "--table-prefix", "acme_"])).out).toMatch(/up to date/);
    expect((await cli(["migrate", "--schema"])).code).toBe(1);
    expect((await cli(["migrate", "--database", `sqlite:${file}`, "--table-prefix", "bad-prefix"])).err).toMatch(/tablePrefix/);
  });

  it("exits 1 on a bad URL or an unreachable server, never printing the password", async () => {
    const bad = await cli(["migrate", "--database", "mysql://root:hunter2@db/app"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Accepted forms/);
    expect(bad.err).not.toContain("hunter2");

    const unreachable = await cli(["migrate", "--database", "postgres://app:hunter2@127.0.0.1:1/app"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/app/);
    expect(`${unreachable.out}${unreachable.err}`).not.toContain("hunter2");
  });

  it("lets two processes migrate one SQLite file at the same moment", async () => {
    const main = join(dirname(fileURLToPath(import.meta.url)), "main.ts");
    const url = `sqlite:${join(dir, "two-processes.db")}`;
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", main, "migrate", "--database", url], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, out }));
      });
    const results = await Promise.all([run(), run()]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect(results.filter((result) => result.out.includes("Applied 0001_initial"))).toHaveLength(1);
  });
});

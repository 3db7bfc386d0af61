import { monitorEventLoopDelay } from "node:perf_hooks";
import { hash as argon2Hash } from "@node-rs/argon2";
import { hash as bcryptHash } from "@node-rs/bcrypt";
import { describe, expect, it } from "vitest";
import { createPasswordHasher } from "./password-hasher.js";
import { MAX_PASSWORD_BYTES, PasswordTooLongError } from "./password-too-long-error.js";
import { HashingOverloadedError } from "./semaphore.js";

const hasher = createPasswordHasher();

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

describe("createPasswordHasher: argon2id", () => {
  it("stores a PHC string with the OWASP parameters", async () => {
    const { value: stored, ms } = await timed(() => hasher.hash("correct horse battery staple"));
    console.info(`[figures] argon2id m=19456,t=2,p=1 hash: ${ms.toFixed(1)} ms`);
    expect(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    // 16-byte salt and 32-byte tag, unpadded base64.
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it("salts every hash", async () => {
    const [a, b] = await Promise.all([hasher.hash("same password"), hasher.hash("same password")]);
    expect(a).not.toBe(b);
  });

  it("accepts the right password and rejects a wrong one", async () => {
    const stored = await hasher.hash("correct horse battery staple");
    const right = await timed(() => hasher.verify(stored, "correct horse battery staple"));
    const wrong = await timed(() => hasher.verify(stored, "correct horse battery stapler"));
    console.info(`[figures] argon2id verify: right ${right.ms.toFixed(1)} ms, wrong ${wrong.ms.toFixed(1)} ms`);
    expect(right.value).toEqual({ valid: true, needsRehash: false });
    expect(wrong.value).toEqual({ valid: false, needsRehash: false });
  });

  it("uses the whole password: a difference at byte 80 matters, nothing is trimmed", async () => {
    const base = "p".repeat(100);
    const other = `${base.slice(0, 80)}q${base.slice(81)}`;
    expect(Buffer.byteLength(other)).toBe(100);
    const stored = await hasher.hash(base);
    expect((await hasher.verify(stored, other)).valid).toBe(false);
    expect((await hasher.verify(stored, base)).valid).toBe(true);

    const spaced = await hasher.hash(" pass phrase ");
    expect((await hasher.verify(spaced, "pass phrase")).valid).toBe(false);
    expect((await hasher.verify(spaced, " pass phrase ")).valid).toBe(true);
  });

  it("flags argon2 hashes made with weaker settings for rehash, but not stronger ones", async () => {
    const password = "legacy password";
    const weak = await argon2Hash(password, { memoryCost: 8192, timeCost: 1, parallelism: 1 });
    const lowerMemory = await argon2Hash(password, { memoryCost: 12288, timeCost: 3, parallelism: 1 });
    const argon2i = await argon2Hash(password, { algorithm: 1, memoryCost: 19456, timeCost: 2 });
    const stronger = await argon2Hash(password, { memoryCost: 65536, timeCost: 3, parallelism: 1 });

    expect(await hasher.verify(weak, password)).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify(lowerMemory, password)).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify(argon2i, password)).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify(stronger, password)).toEqual({ valid: true, needsRehash: false });
    // No rehash advice without the right password.
    expect(await hasher.verify(weak, "wrong")).toEqual({ valid: false, needsRehash: false });
  });

  it("mixes in the pepper: the hash only verifies with the same secret", async () => {
    const peppered = createPasswordHasher({ pepper: "server-side secret" });
    const stored = await peppered.hash("hunter2 hunter2");
    expect((await peppered.verify(stored, "hunter2 hunter2")).valid).toBe(true);
    expect((await hasher.verify(stored, "hunter2 hunter2")).valid).toBe(false);
    const otherPepper = createPasswordHasher({ pepper: Buffer.from("another secret") });
    expect((await otherPepper.verify(stored, "hunter2 hunter2")).valid).toBe(false);
  });
});

describe("createPasswordHasher: legacy bcrypt", () => {
  it("verifies $2b$ hashes and asks for a rehash on success", async () => {
    const stored = await bcryptHash("imported password", { cost: 10 });
    expect(stored.startsWith("$2b$10$")).toBe(true);
    const right = await timed(() => hasher.verify(stored, "imported password"));
    console.info(`[figures] bcrypt cost 10 verify: ${right.ms.toFixed(1)} ms`);
    expect(right.value).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify(stored, "imported passworD")).toEqual({ valid: false, needsRehash: false });
  });

  it.each(["2a", "2y"] as const)("verifies $%s$ hashes", async (version) => {
    const stored = await bcryptHash("imported password", { cost: 4, version });
    expect(stored.startsWith(`$${version}$04$`)).toBe(true);
    expect(await hasher.verify(stored, "imported password")).toEqual({ valid: true, needsRehash: true });
    expect((await hasher.verify(stored, "nope")).valid).toBe(false);
  });
});

describe("createPasswordHasher: hostile or broken input", () => {
  const unusable = [
    "",
    "plaintext-password",
    "$1$saltsalt$abcdefghijklmnopqrstuv",
    "$argon2id$v=19$m=19456,t=2,p=1$not-base64!$nope",
    "$argon2id$v=19$m=19456,t=2,p=1$",
    // Asks for 4 GiB: must be refused before the KDF allocates it.
    "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE",
    "$2b$10$tooShort",
    "$2x$10$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
  ];

  it.each(unusable)("treats %j as not valid, without throwing", async (stored) => {
    await expect(hasher.verify(stored, "whatever")).resolves.toEqual({ valid: false, needsRehash: false });
  });

  it("refuses a bcrypt hash whose cost would hold a hashing slot for days", async () => {
    const cost31 = (await bcryptHash("imported password", { cost: 4 })).replace("$04$", "$31$");
    const { value, ms } = await timed(() => hasher.verify(cost31, "imported password"));
    expect(value).toEqual({ valid: false, needsRehash: false });
    expect(ms).toBeLessThan(1000);
  });

  it("tolerates a non-string stored hash from an untyped caller", async () => {
    const fromUntypedCaller = null as unknown as string;
    await expect(hasher.verify(fromUntypedCaller, "whatever")).resolves.toEqual({ valid: false, needsRehash: false });
  });

  it("refuses passwords over 4096 bytes in hash, verify and verifyAgainstDummy", async () => {
    const atLimit = "é".repeat(MAX_PASSWORD_BYTES / 2);
    const overLimit = `${atLimit}a`;
    expect(Buffer.byteLength(atLimit)).toBe(MAX_PASSWORD_BYTES);
    const stored = await hasher.hash(atLimit);
    expect((await hasher.verify(stored, atLimit)).valid).toBe(true);

    await expect(hasher.hash(overLimit)).rejects.toBeInstanceOf(PasswordTooLongError);
    await expect(hasher.verify(stored, overLimit)).rejects.toBeInstanceOf(PasswordTooLongError);
    await expect(hasher.verifyAgainstDummy(overLimit)).rejects.toBeInstanceOf(PasswordTooLongError);

    const huge = "x".repeat(1024 * 1024);
    const { ms } = await timed(() => hasher.hash(huge).catch((error: unknown) => error));
    expect(ms).toBeLessThan(10);
  });
});

describe("createPasswordHasher: dummy verification", () => {
  it("costs about what a wrong-password verify costs", async () => {
    const stored = await hasher.hash("the real password");
    await hasher.verifyAgainstDummy("warm-up builds the dummy hash");

    const dummy: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      dummy.push((await timed(() => hasher.verifyAgainstDummy(`guess ${i}`))).ms);
      wrong.push((await timed(() => hasher.verify(stored, `guess ${i}`))).ms);
    }
    const ratio = median(dummy) / median(wrong);
    console.info(
      `[figures] median verify: dummy ${median(dummy).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`,
    );
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe("createPasswordHasher: load behaviour", () => {
  it("keeps the event loop responsive while 8 hashes run", async () => {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const start = performance.now();
    const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hasher.hash(`load test password ${i}`)));
    const elapsed = performance.now() - start;
    histogram.disable();

    const p99ms = histogram.percentile(99) / 1e6;
    const maxMs = histogram.max / 1e6;
    console.info(
      `[figures] 8 concurrent hashes: ${elapsed.toFixed(0)} ms total; event-loop delay p99 ${p99ms.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms`,
    );
    expect(hashes).toHaveLength(8);
    expect(p99ms).toBeLessThan(100);
  });

  it("sheds load with HashingOverloadedError past maxQueued", async () => {
    const small = createPasswordHasher({ maxConcurrent: 1, maxQueued: 2 });
    const attempts = Array.from({ length: 5 }, (_, i) => small.hash(`password ${i}`));
    const results = await Promise.allSettled(attempts);
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(fulfilled).toHaveLength(3);
    expect(rejected).toHaveLength(2);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(HashingOverloadedError);
  });
});

describe("createPasswordHasher: options", () => {
  it.each([
    [{ memoryCost: 19455 }],
    [{ timeCost: 1 }],
    [{ timeCost: 1, memoryCost: 47103 }],
    [{ timeCost: 3, memoryCost: 12287 }],
    [{ timeCost: 10, memoryCost: 8192 }],
  ])("rejects parameters weaker than OWASP's: %j", (options) => {
    expect(() => createPasswordHasher(options)).toThrow(/too weak/);
  });

  it.each([
    [{}],
    [{ timeCost: 1, memoryCost: 47104 }],
    [{ timeCost: 3, memoryCost: 12288 }],
    [{ timeCost: 2, memoryCost: 65536, parallelism: 4 }],
  ])("accepts OWASP-equivalent parameters: %j", (options) => {
    expect(() => createPasswordHasher(options)).not.toThrow();
  });

  it.each([
    [{ parallelism: 0 }],
    [{ timeCost: 2.5 }],
    [{ maxConcurrent: 0 }],
    [{ maxQueued: -1 }],
    [{ memoryCost: Number.NaN }],
  ])("rejects malformed settings: %j", (options) => {
    expect(() => createPasswordHasher(options)).toThrow(RangeError);
  });

  it("rejects an empty pepper", () => {
    expect(() => createPasswordHasher({ pepper: "" })).toThrow(/pepper/);
    expect(() => createPasswordHasher({ pepper: Buffer.alloc(0) })).toThrow(/pepper/);
  });
});

import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { Clock, Random } from "../../core/runtime.js";
import type { SigningKeyRecord, Storage } from "../../storage/storage.js";

const generateRsaKeyPair = promisify(generateKeyPair);

/** Unknown kids trigger at most one key reload per interval, so forged kids cannot hammer the database. */
const UNKNOWN_KID_RELOAD_INTERVAL_MS = 10_000;

export interface LoadedKey {
  kid: string;
  createdAt: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface JsonWebKey {
  kty: string;
  kid: string;
  n: string;
  e: string;
  alg: "RS256";
  use: "sig";
}

/**
 * RS256 signing keys, kept in the database so every instance signs and verifies alike. Dynamic keys
 * are named after the rotation slot they serve (`d-<slotStartMs>`): two instances rotating at the
 * same moment derive the same kid, and insert-if-absent makes them agree on one key.
 */
export class SigningKeyStore {
  private keys = new Map<string, LoadedKey>();
  private lastReloadAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly rotationIntervalMs: number,
    private readonly accessTokenValidityMs: number,
  ) {}

  async getSigningKey(useStaticKey: boolean): Promise<LoadedKey> {
    if (useStaticKey) return this.getStaticKey();
    const kid = `d-${this.currentSlotStart()}`;
    const cached = this.keys.get(kid);
    if (cached !== undefined) return cached;
    await this.reload();
    const loaded = this.keys.get(kid);
    if (loaded !== undefined) return loaded;
    await this.storage.signingKeys.insertIfAbsent(await this.generate(kid, this.currentSlotStart()));
    await this.storage.signingKeys.deleteCreatedBefore(this.clock.now() - 2 * (this.rotationIntervalMs + this.accessTokenValidityMs));
    await this.reload();
    const created = this.keys.get(kid);
    if (created === undefined) throw new Error(`Signing key ${kid} could not be created`);
    return created;
  }

  /** Synchronous on the hot path; undefined when the kid is not cached. */
  getCachedVerificationKey(kid: string): KeyObject | undefined {
    return this.keys.get(kid)?.publicKey;
  }

  /** For a kid this instance has not seen (another instance rotated): one rate-limited reload. */
  async findVerificationKey(kid: string): Promise<KeyObject | undefined> {
    const cached = this.getCachedVerificationKey(kid);
    if (cached !== undefined) return cached;
    if (this.keys.size > 0 && this.clock.now() - this.lastReloadAt < UNKNOWN_KID_RELOAD_INTERVAL_MS) return undefined;
    await this.reload();
    return this.getCachedVerificationKey(kid);
  }

  /** Keys whose tokens may still be alive: a key signs for one interval, its tokens live one validity more. */
  async getJWKS(): Promise<JsonWebKey[]> {
    await this.getSigningKey(false);
    const horizon = this.clock.now() - this.rotationIntervalMs - this.accessTokenValidityMs;
    return [...this.keys.values()]
      .filter((key) => key.kid.startsWith("s-") || key.createdAt >= horizon)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((key) => {
        const jwk = key.publicKey.export({ format: "jwk" });
        return { kty: "RSA", kid: key.kid, n: String(jwk.n), e: String(jwk.e), alg: "RS256", use: "sig" };
      });
  }

  private async getStaticKey(): Promise<LoadedKey> {
    let key = this.oldestStatic();
    if (key !== undefined) return key;
    await this.reload();
    key = this.oldestStatic();
    if (key !== undefined) return key;
    await this.storage.signingKeys.insertIfAbsent(await this.generate(`s-${this.random.uuid()}`, this.clock.now()));
    await this.reload();
    key = this.oldestStatic();
    if (key === undefined) throw new Error("Static signing key could not be created");
    return key;
  }

  private oldestStatic(): LoadedKey | undefined {
    return [...this.keys.values()].filter((k) => k.kid.startsWith("s-")).sort((a, b) => a.createdAt - b.createdAt)[0];
  }

  private currentSlotStart(): number {
    const now = this.clock.now();
    return now - (now % this.rotationIntervalMs);
  }

  private async reload(): Promise<void> {
    // Concurrent callers share one load instead of each querying the database.
    this.loading ??= (async () => {
      try {
        const records = await this.storage.signingKeys.list();
        const next = new Map<string, LoadedKey>();
        for (const record of records) next.set(record.kid, this.keys.get(record.kid) ?? toLoadedKey(record));
        this.keys = next;
        this.lastReloadAt = this.clock.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private async generate(kid: string, createdAt: number): Promise<SigningKeyRecord> {
    const { privateKey, publicKey } = await generateRsaKeyPair("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    return { kid, algorithm: "RS256", privateKeyPem: privateKey, publicKeyPem: publicKey, createdAt };
  }
}

function toLoadedKey(record: SigningKeyRecord): LoadedKey {
  return {
    kid: record.kid,
    createdAt: record.createdAt,
    privateKey: createPrivateKey(record.privateKeyPem),
    publicKey: createPublicKey(record.publicKeyPem),
  };
}

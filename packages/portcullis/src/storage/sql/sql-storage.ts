/**
 * The Storage ports over SQL, written once for SQLite and PostgreSQL (one store per port in
 * ./stores/). Every write goes through the dialect (on SQLite always a BEGIN IMMEDIATE
 * transaction; on PostgreSQL a transaction when it is more than one statement), and every race
 * the contract mentions is settled by the database: UNIQUE constraints for sign-up,
 * compare-and-swap UPDATEs for secret upgrades and refresh rotation, DELETE ... RETURNING as the
 * claim on a token, an upsert for counters.
 */
import { sql, type Kysely } from "kysely";
import type { Storage } from "../storage.js";
import type { SqlDialect } from "./dialect.js";
import { migrations } from "./migrations.js";
import { runMigrations } from "./migrator.js";
import { namespacedKysely, type Namespace } from "./namespace.js";
import type { Database } from "./schema.js";
import { SqlCounterStore } from "./stores/counter-store.js";
import { SqlRoleStore } from "./stores/role-store.js";
import { SqlCredentialStore } from "./stores/credential-store.js";
import { SqlLoginCodeStore } from "./stores/login-code-store.js";
import { SqlInvitationStore } from "./stores/invitation-store.js";
import { SqlOutboxStore, SqlSigningKeyStore } from "./stores/key-and-outbox-stores.js";
import { SqlPhoneCodeStore, SqlPhoneVerificationStore } from "./stores/phone-stores.js";
import { SqlSessionStore } from "./stores/session-store.js";
import { SqlContext } from "./stores/sql-context.js";
import { SqlTenantStore } from "./stores/tenant-store.js";
import { SqlTokenStore } from "./stores/token-store.js";
import { SqlEmailVerificationStore, SqlUserStore } from "./stores/user-store.js";

export interface SqlStorageOptions {
  db: Kysely<Database>;
  dialect: SqlDialect;
  namespace: Namespace;
  /** False for a caller-supplied Kysely: its owner closes it, not us. */
  ownsDb: boolean;
}

export class SqlStorage implements Storage {
  readonly dialectName: SqlDialect["name"];
  readonly namespace: Namespace;
  readonly tenants: SqlTenantStore;
  readonly users: SqlUserStore;
  readonly emailVerification: SqlEmailVerificationStore;
  readonly phoneVerification: SqlPhoneVerificationStore;
  readonly phoneCodes: SqlPhoneCodeStore;
  readonly credentials: SqlCredentialStore;
  readonly tokens: SqlTokenStore;
  readonly sessions: SqlSessionStore;
  readonly signingKeys: SqlSigningKeyStore;
  readonly outbox: SqlOutboxStore;
  readonly counters: SqlCounterStore;
  readonly roles: SqlRoleStore;
  readonly loginCodes: SqlLoginCodeStore;
  readonly invitations: SqlInvitationStore;
  readonly #db: Kysely<Database>;
  readonly #dialect: SqlDialect;
  readonly #ownsDb: boolean;
  #closed = false;

  constructor(options: SqlStorageOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#ownsDb = options.ownsDb;
    this.dialectName = options.dialect.name;
    this.namespace = options.namespace;
    const context = new SqlContext(namespacedKysely(options.db, options.namespace), options.dialect);
    const guard = <P extends object>(port: P) => guardPort(port, options.dialect);
    this.tenants = guard(new SqlTenantStore(context));
    this.users = guard(new SqlUserStore(context));
    this.emailVerification = guard(new SqlEmailVerificationStore(context));
    this.phoneVerification = guard(new SqlPhoneVerificationStore(context));
    this.phoneCodes = guard(new SqlPhoneCodeStore(context));
    this.credentials = guard(new SqlCredentialStore(context));
    this.tokens = guard(new SqlTokenStore(context));
    this.sessions = guard(new SqlSessionStore(context));
    this.signingKeys = guard(new SqlSigningKeyStore(context));
    this.outbox = guard(new SqlOutboxStore(context));
    this.counters = guard(new SqlCounterStore(context));
    this.roles = guard(new SqlRoleStore(context));
    this.loginCodes = guard(new SqlLoginCodeStore(context));
    this.invitations = guard(new SqlInvitationStore(context));
  }

  async migrate(): Promise<void> {
    await this.applyMigrations();
  }

  /** Like migrate(), but says which migrations this call applied (for the CLI). */
  applyMigrations(): Promise<string[]> {
    return this.#dialect.runCall(() => runMigrations(this.#db, this.#dialect, this.namespace, migrations));
  }

  async ping(): Promise<void> {
    await this.#dialect.runCall(() => sql`select 1`.execute(this.#db));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsDb) await this.#db.destroy();
  }
}

/**
 * The port with every method run through `dialect.runCall`, so callers see outages as
 * StorageUnavailableError whatever the query. Methods are wrapped when read (a test may swap
 * one), and a store's calls to its own methods go to the unwrapped store.
 */
function guardPort<P extends object>(port: P, dialect: SqlDialect): P {
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => dialect.runCall(() => (value as (...args: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

// Types and small helpers shared by the bench's processes.
export const ALGS = ["RS256", "ES256", "EdDSA"] as const;
export type Alg = (typeof ALGS)[number];

/**
 * How a request authenticates: a client secret (the reference), a private_key_jwt
 * assertion (ES256, the mix's key set), or a secret and a DPoP proof (ES256) that binds the token.
 */
export const CREDENTIALS = ["secret", "private_key_jwt", "dpop"] as const;
export type Credential = (typeof CREDENTIALS)[number];

/** One token request of the load mix: a client with a grant to an API of the run's algorithm. */
export type MixEntry = { clientId: string; secret: string; audience: string; scope: string };

/** What bench/seed.ts writes, and the bare server and the peer read. */
export type SeedData = {
  tenantSlug: string;
  admin: { email: string; password: string };
  apis: { id: string; identifier: string; alg: Alg; tokenLifetime: number }[];
  /** Every application: client id and SHA-256 (hex) of its secret. */
  clients: { clientId: string; hash: string }[];
  /** Every grant: client, API identifier, granted scopes (space-separated). */
  grants: { clientId: string; audience: string; scope: string }[];
  /** Clients whose secrets are kept for the load, per algorithm. */
  mix: Record<Alg, MixEntry[]>;
  /** The private key (PKCS #8 PEM) of the key set every mix client holds, and its kid: the load signs private_key_jwt assertions with it. */
  assertionKey: { pem: string; kid: string };
  sampleApplicationId: string;
  searchTerm: string;
  counts: { applications: number; apis: number; grants: number };
  seconds: number;
};

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

import assert from "node:assert/strict";
import { test } from "node:test";
import { signingAlgorithms } from "./discovery";

test("the metadata's algorithms are those of the published keys, RS256 first, in a stable order", () => {
  assert.deepEqual(signingAlgorithms([{ alg: "RS256" }]), ["RS256"]);
  assert.deepEqual(signingAlgorithms([{ alg: "EdDSA" }, { alg: "ES256" }, { alg: "RS256" }, { alg: "PS256" }, { alg: "ES256" }]), [
    "RS256",
    "PS256",
    "ES256",
    "EdDSA",
  ]);
  // A previous key still published (its tokens are still valid) keeps its algorithm listed.
  assert.deepEqual(signingAlgorithms([{ alg: "RS256" }, { alg: "ES256" }]), ["RS256", "ES256"]);
  assert.deepEqual(signingAlgorithms([]), ["RS256"]);
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CliError, COMMANDS, flagOf, usage } from "./commands";

const command = (group: string, verb: string) => COMMANDS.find((c) => c.group === group && c.verb === verb) ?? assert.fail(`${group} ${verb} missing`);

describe("CLI argument parsing", () => {
  it("has every command docs/cli.md lists", () => {
    const names = COMMANDS.map((c) => `${c.group} ${c.verb}`);
    for (const name of [
      "admin create",
      "tenant create",
      "api create",
      "app create",
      "grant create",
      "client-key add",
      "key rotate",
      "encryption-key generate",
      "encryption-key rotate",
    ]) {
      assert.ok(names.includes(name), name);
      assert.match(usage(), new RegExp(`^  ${name}`, "m"));
    }
  });

  it("reads the flags, --grant as many times as given", () => {
    const values = command("app", "create").parse([
      "--tenant",
      "acme",
      "--name",
      "Billing",
      "--grant",
      "https://a.example.com=read:a,write:a",
      "--grant",
      "https://b.example.com",
    ]);
    assert.deepEqual(values.grant, ["https://a.example.com=read:a,write:a", "https://b.example.com"]);
    assert.equal(values.tenant, "acme");
  });

  it("names the missing flags", () => {
    assert.throws(
      () => command("api", "create").parse(["--tenant", "acme"]),
      (e: unknown) => e instanceof CliError && e.message === "Missing --name, --identifier",
    );
    assert.throws(() => command("tenant", "create").parse(["--slug", ""]), /Missing --slug/);
  });

  it("refuses unknown flags and stray arguments", () => {
    assert.throws(() => command("tenant", "create").parse(["--slug", "acme", "--colour", "red"]), /Unknown option '--colour'/);
    assert.throws(() => command("key", "rotate").parse(["--tenant", "acme", "now"]), /Unexpected argument "now"/);
  });
});

describe("flagOf", () => {
  it("names the flag that sets a domain field", () => {
    assert.equal(flagOf("signing_alg"), "--alg");
    assert.equal(flagOf("token_lifetime"), "--lifetime");
    assert.equal(flagOf("client_id"), "--client-id");
    assert.equal(flagOf("scopes.0.name"), "--scopes");
    assert.equal(flagOf("slug"), "--slug");
  });
});

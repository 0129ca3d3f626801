import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CliError, COMMANDS, flagOf, usage } from "./commands";

const command = (group: string, verb = "") => COMMANDS.find((c) => c.group === group && c.verb === verb) ?? assert.fail(`${group} ${verb} missing`);

describe("CLI argument parsing", () => {
  it("has every command docs/cli.md lists", () => {
    const names = COMMANDS.map((c) => [c.group, c.verb].filter(Boolean).join(" "));
    for (const name of [
      "admin create",
      "tenant create",
      "api create",
      "app create",
      "grant create",
      "client-key add",
      "federated-credential add",
      "federated-credential list",
      "federated-credential remove",
      "key rotate",
      "encryption-key generate",
      "encryption-key rotate",
      "export",
      "plan",
      "apply",
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

describe("grants as code", () => {
  it("reads -f, --prune and the target; a missing file is named both ways, and is not plan's exit 2", () => {
    const values = command("plan").parse(["-f", "acme.yaml", "--tenant", "acme", "--prune"]);
    assert.equal(values.file, "acme.yaml");
    assert.equal(values.prune, true);
    assert.throws(() => command("apply").parse(["--url", "https://auth.example.com/t/acme"]), /Missing -f\/--file/);
    assert.equal(command("plan").usageExit, 1);
    assert.equal(command("plan").exitCode!({ changes: [] } as never), 0);
    assert.equal(command("plan").exitCode!({ changes: [{}] } as never), 2);
    assert.equal(command("apply").exitCode!({ changes: [{}], secrets: [] } as never), 0, "an apply that made changes succeeded");
  });

  it("needs no database for a remote target", () => {
    const offline = command("plan").offline as (v: object) => boolean;
    assert.equal(offline({ url: "https://auth.example.com/t/acme" }), true);
    assert.equal(offline({ tenant: "acme" }), false);
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

// Workload identity federation from the Credentials tab: add a GitHub Actions
// credential from its preset, then paste tokens into the Test box and read why
// each would be accepted or refused — one from an issuer this spec serves on
// loopback is accepted. With the axe check of the section.
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { SignJWT, exportJWK } from "jose";
import { auditHere } from "./a11y";
import { createApplication, createTenant, toast } from "./helpers";

test("add a GitHub Actions credential from its preset and test tokens against it", async ({ page }) => {
  test.slow();
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = { ...(await exportJWK(publicKey)), kid: "local-1" };
  let base = "";
  const issuer = http.createServer((req, res) => {
    const body = req.url === "/.well-known/openid-configuration" ? { issuer: base, jwks_uri: `${base}/jwks` } : req.url === "/jwks" ? { keys: [jwk] } : null;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => issuer.listen(0, "127.0.0.1", resolve));
  base = `http://localhost:${(issuer.address() as AddressInfo).port}`;
  try {
    const slug = await createTenant(page, "federation");
    const app = await createApplication(page, slug, "Deployer");
    await page.goto(`/dashboard/${slug}/applications/${app.id}/credentials`);
    await expect(page.getByText(/No federated credentials/)).toBeVisible();

    await page.getByRole("button", { name: "Add federated credential" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a federated credential" });
    await dialog.getByLabel("Platform").selectOption("github");
    await expect(dialog.getByLabel("Issuer")).toHaveValue("https://token.actions.githubusercontent.com");
    await expect(dialog.getByLabel("Subject")).toHaveValue("repo:OWNER/REPO:ref:refs/heads/BRANCH");
    await dialog.getByLabel("Name").fill("deploy from main");
    await dialog.getByLabel("Subject").fill("repo:acme/billing:ref:refs/heads/main");
    await dialog.getByLabel("Audience").fill("grantry");
    await dialog.getByLabel("Claim conditions (optional)").fill("repository_owner=acme");
    await dialog.getByRole("button", { name: "Add federated credential" }).click();
    await expect(toast(page, "Federated credential added")).toBeVisible();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByRole("cell", { name: /deploy from main GitHub Actions/ })).toBeVisible();

    // A second credential for the issuer served here, whose tokens can be signed.
    await page.getByRole("button", { name: "Add federated credential" }).click();
    await dialog.getByLabel("Name").fill("local cluster");
    await dialog.getByLabel("Issuer").fill(base);
    await dialog.getByLabel("Subject").fill("system:serviceaccount:billing:*");
    await dialog.getByLabel("Audience").fill("grantry");
    await dialog.getByRole("button", { name: "Add federated credential" }).click();
    await expect(toast(page, "Federated credential added")).toBeVisible();

    const tryToken = async (token: string) => {
      await page.getByLabel("External token").fill(token);
      await page.getByRole("button", { name: "Test token" }).click();
    };
    const sign = (claims: Record<string, unknown>, alg = "ES256") =>
      new SignJWT(claims).setProtectedHeader({ alg, kid: "local-1" }).setIssuedAt().setExpirationTime("5m").sign(privateKey);
    const status = page.getByRole("status").filter({ hasText: /Accepted|Refused/ });

    await tryToken(await sign({ iss: "https://gitlab.com", sub: "project_path:acme/billing:ref_type:branch:ref:main", aud: "grantry" }));
    await expect(status).toHaveText('Refused (issuer_not_trusted): Client assertion refused: issuer "https://gitlab.com" is not trusted by this application');
    await tryToken(await sign({ iss: base, sub: "system:serviceaccount:payments:worker", aud: "grantry" }));
    await expect(status).toHaveText(
      `Refused (subject_mismatch): Client assertion refused: subject "system:serviceaccount:payments:worker" does not match "system:serviceaccount:billing:*"`,
    );
    await tryToken(await sign({ iss: base, sub: "system:serviceaccount:billing:worker", aud: "grantry" }));
    await expect(status).toHaveText(/^Accepted by “local cluster” \(subject system:serviceaccount:billing:worker\)/);
    // The Test box records nothing: the credential was never used.
    await expect(page.getByRole("region", { name: "Federated credentials" }).getByRole("cell", { name: "Never" })).toHaveCount(2);

    expect(await auditHere(page, "credentials with federated credentials")).toEqual([]);
    await page.getByRole("button", { name: "Add federated credential" }).click();
    expect(await auditHere(page, "add federated credential dialog")).toEqual([]);
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: "Delete federated credential local cluster" }).click();
    await page.getByRole("button", { name: "Delete credential" }).click();
    await expect(toast(page, "Federated credential deleted")).toBeVisible();
    await expect(page.getByRole("cell", { name: /local cluster/ })).toHaveCount(0);
  } finally {
    issuer.closeAllConnections();
    issuer.close();
  }
});

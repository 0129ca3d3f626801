// Seed 002's jQuery sample, run as written in a browser: a page on another
// origin posts JSON with crossDomain: true, so Chromium sends a CORS preflight
// first, then reads the token response only if Grantry allows any origin.
import { expect, test } from "@playwright/test";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { authorize, createApplication, createTenant, issuerOf } from "./helpers";

// Verbatim from the generic identity product's jQuery guide; only the placeholders are replaced below.
const SNIPPET = `var settings = {
  "async": true,
  "crossDomain": true,
  "url": "https://YOUR_AUTH0_DOMAIN/oauth/token",
  "method": "POST",
  "headers": {
    "content-type": "application/json"
  },
  "processData": false,
  "data": "{\\"grant_type\\":\\"client_credentials\\",\\"client_id\\": \\"YOUR_CLIENT_ID\\",\\"client_secret\\": \\"YOUR_CLIENT_SECRET\\",\\"audience\\": \\"YOUR_API_IDENTIFIER\\"}"
}

$.ajax(settings).done(function (response) {
  console.log(response);
});`;

/** A page of its own origin (another port on localhost) that loads jQuery, then runs `script`. */
async function servePage(script: string): Promise<{ url: string; close: () => Promise<void> }> {
  const jquery = fs.readFileSync(path.join("node_modules", "jquery", "dist", "jquery.min.js"));
  const html = `<!doctype html><html><head><title>seed 002</title><script src="/jquery.min.js"></script></head><body><script>${script}</script></body></html>`;
  const server = http.createServer((req, res) => {
    if (req.url === "/jquery.min.js") {
      res.writeHead(200, { "content-type": "text/javascript" });
      res.end(jquery);
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("seed 002's jQuery sample gets a token from a page on another origin", async ({ page, browser }) => {
  test.slow();
  const slug = await createTenant(page, "jquery");
  const app = await createApplication(page, slug, "Browser sample");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);

  const issuer = issuerOf(slug);
  const script = SNIPPET.replace("https://YOUR_AUTH0_DOMAIN", issuer)
    .replace("YOUR_CLIENT_ID", app.clientId)
    .replace("YOUR_CLIENT_SECRET", app.secret)
    .replace("YOUR_API_IDENTIFIER", issuer);
  const site = await servePage(script);
  // A fresh context: no dashboard session, as on a stranger's site.
  const context = await browser.newContext();
  try {
    const visitor = await context.newPage();
    const methods: string[] = [];
    visitor.on("request", (req) => {
      if (req.url().startsWith(issuer)) methods.push(req.method());
    });
    const logged = visitor.waitForEvent("console", { predicate: (msg) => msg.type() === "log", timeout: 30_000 });
    await visitor.goto(site.url);
    const response = (await (await logged).args()[0]!.jsonValue()) as Record<string, unknown>;
    expect(response.token_type).toBe("Bearer");
    expect(response.expires_in).toBe(86400);
    expect(response.scope).toBe("read:applications");
    expect(typeof response.access_token).toBe("string");
    const claims = JSON.parse(Buffer.from(String(response.access_token).split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims.iss).toBe(issuer);
    expect(claims.client_id).toBe(app.clientId);
    expect(methods).toContain("POST");
  } finally {
    await context.close();
    await site.close();
  }
});

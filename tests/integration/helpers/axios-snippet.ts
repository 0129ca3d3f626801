// Seed 000's "Automating Token Retrieval" snippet, run as written (axios, in a
// node process of its own) but for the token URL and the audience, plus one
// line that runs it and prints the token. Used by the protocol and the
// Management API suites.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** The access token the snippet got, given M2M_CLIENT_ID and M2M_CLIENT_SECRET as the guide says. */
export async function runAxiosSnippet(tokenUrl: string, audience: string, clientId: string, clientSecret: string): Promise<string> {
  const snippet = `const axios = require('axios');
async function getAccessToken() {
const response = await axios.post('${tokenUrl}', {
client_id: process.env.M2M_CLIENT_ID,
client_secret: process.env.M2M_CLIENT_SECRET,
audience: \`${audience}\`,
grant_type: 'client_credentials',
});
return response.data.access_token;
}
getAccessToken().then((token) => process.stdout.write(token), (error) => { console.error(error.message); process.exit(1); });`;
  const { stdout } = await exec(process.execPath, ["-e", snippet], {
    timeout: 20_000,
    cwd: process.cwd(),
    env: { ...process.env, M2M_CLIENT_ID: clientId, M2M_CLIENT_SECRET: clientSecret },
  });
  return stdout.trim();
}

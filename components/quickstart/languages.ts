// The eleven languages of the Auth0 M2M quickstart (seed 002), in its order.
export const LANGUAGES = ["curl", "C#", "Go", "Java", "jQuery", "Node.js", "Objective-C", "PHP", "Python", "Ruby", "Swift"] as const;
export type Language = (typeof LANGUAGES)[number];

export type SnippetValues = { tokenUrl: string; clientId: string; audience: string; secret?: string };

export const SECRET_PLACEHOLDER = "YOUR_CLIENT_SECRET";

/** The JSON body exactly as the seed writes it, and the same with quotes escaped for string literals. */
export function tokenBody(v: SnippetValues): { json: string; escaped: string } {
  const json = `{"grant_type":"client_credentials","client_id": "${v.clientId}","client_secret": "${v.secret ?? SECRET_PLACEHOLDER}","audience": "${v.audience}"}`;
  return { json, escaped: json.replace(/\\/g, "\\\\").replace(/"/g, '\\"') };
}

/** Host (with port) and path of a URL, for the samples that take them apart (Python). */
export function splitUrl(url: string): { https: boolean; host: string; path: string } {
  const u = new URL(url);
  return { https: u.protocol === "https:", host: u.host, path: `${u.pathname}${u.search}` };
}

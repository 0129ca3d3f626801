// The eleven languages of the Auth0 M2M quickstart (seed 002), in its order.
export const LANGUAGES = ["curl", "C#", "Go", "Java", "jQuery", "Node.js", "Objective-C", "PHP", "Python", "Ruby", "Swift"] as const;
export type Language = (typeof LANGUAGES)[number];

export type SnippetValues = { tokenUrl: string; clientId: string; audience: string; secret?: string };

export const SECRET_PLACEHOLDER = "YOUR_CLIENT_SECRET";

/** The JSON body laid out as the seed writes it; each value is a JSON string, so none can end it. */
export function tokenBody(v: SnippetValues): string {
  const str = JSON.stringify;
  return `{"grant_type":"client_credentials","client_id": ${str(v.clientId)},"client_secret": ${str(v.secret ?? SECRET_PLACEHOLDER)},"audience": ${str(v.audience)}}`;
}

/** Host (with port) and path of a URL, for the samples that take them apart (Python). */
export function splitUrl(url: string): { https: boolean; host: string; path: string } {
  // A value stored before validation tightened may not parse: show it whole rather than fail the page.
  if (!URL.canParse(url)) return { https: true, host: url, path: "/" };
  const u = new URL(url);
  return { https: u.protocol === "https:", host: u.host, path: `${u.pathname}${u.search}` };
}

// Dashboard at scale, the HTTP side: signs in as the seeded owner through
// next-auth's credentials callback and times the server-side render of the
// pages (full response over loopback, so an upper bound of the server's time).
export type PageTiming = { page: string; path: string; status: number; medianMs: number; p95Ms: number; runs: number; bytes: number };

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${url}/dashboard`, json: "true" }),
  });
  const session = cookiesOf(res).filter((c) => c.includes("session-token"));
  if (!session.length) throw new Error(`sign-in failed (${res.status})`);
  return [...jar, ...session].join("; ");
}

export async function timePages(url: string, cookie: string, pages: { page: string; path: string }[], runs: number): Promise<PageTiming[]> {
  const out: PageTiming[] = [];
  for (const { page, path } of pages) {
    const fetchOnce = async () => {
      const t = performance.now();
      const res = await fetch(url + path, { headers: { cookie }, redirect: "manual" });
      const body = await res.arrayBuffer();
      return { ms: performance.now() - t, status: res.status, bytes: body.byteLength };
    };
    await fetchOnce();
    await fetchOnce();
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await fetchOnce());
    const times = samples.map((s) => s.ms).sort((a, b) => a - b);
    const last = samples.at(-1)!;
    out.push({
      page,
      path,
      status: last.status,
      bytes: last.bytes,
      medianMs: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10,
      p95Ms: Math.round((times[Math.floor(times.length * 0.95)] ?? times.at(-1)!) * 10) / 10,
      runs,
    });
  }
  return out;
}

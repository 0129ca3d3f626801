"use client";
import { Tabs } from "radix-ui";
import { useId, useState } from "react";
import { CodeBlock } from "@/components/ui/code-block";
import { inputClass } from "@/components/ui/field";
import { ASSERTION_NOTES, assertionSnippet, KEY_PAIR_COMMANDS } from "./assertion-snippets";
import { callApiSnippet } from "./call-api-snippets";
import { LANGUAGES, type Language } from "./languages";
import { NODE_CLIENT_INSTALL, nodeClientSnippet } from "./node-client-snippet";
import { tokenRequestSnippet } from "./token-request-snippets";

export type QuickstartApi = { id: string; name: string; audience: string; callUrl: string; lifetime: number };

/** `initialApiId`: the API to show first (the create flow's link names the one it just authorized); `credentialsUrl`: the Credentials tab. */
type Props = { clientId: string; tokenUrl: string; apis: QuickstartApi[]; initialApiId?: string; credentialsUrl: string };

/** How the samples authenticate: the application's secret, or an assertion signed with its private key (private_key_jwt). */
type Credential = "secret" | "private_key_jwt";

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="space-y-3">
      <h2 className="flex items-center gap-2 text-base font-semibold text-slate-900">
        <span className="flex size-6 items-center justify-center rounded-full bg-brand-600 text-xs text-white">{n}</span>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Quickstart({ clientId, tokenUrl, apis, initialApiId, credentialsUrl }: Props) {
  const [apiId, setApiId] = useState(apis.some((a) => a.id === initialApiId) ? initialApiId! : apis[0]!.id);
  const [language, setLanguage] = useState<Language>("curl");
  const [credential, setCredential] = useState<Credential>("secret");
  const selectId = useId();
  const api = apis.find((a) => a.id === apiId) ?? apis[0]!;
  const values = { tokenUrl, clientId, audience: api.audience };
  const response = JSON.stringify({ access_token: "eyJhbGciOi...", token_type: "Bearer", expires_in: api.lifetime }, null, 1);
  return (
    <div className="space-y-8">
      <div className="max-w-md space-y-1">
        <label htmlFor={selectId} className="block text-sm font-medium text-slate-700">
          API (audience)
        </label>
        <select id={selectId} value={api.id} onChange={(e) => setApiId(e.target.value)} className={inputClass}>
          {apis.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} — {a.audience}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Authenticate with</legend>
        <div className="flex flex-wrap gap-4 text-sm text-slate-700">
          {(
            [
              ["secret", "A client secret"],
              ["private_key_jwt", "A private key (signed assertion, no secret)"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="quickstart-credential" value={value} checked={credential === value} onChange={() => setCredential(value)} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <Tabs.Root value={language} onValueChange={(v) => setLanguage(v as Language)}>
        <Tabs.List aria-label="Language" className="mb-6 flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
          {LANGUAGES.map((l) => (
            <Tabs.Trigger
              key={l}
              value={l}
              className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:text-slate-900 data-[state=active]:bg-surface data-[state=active]:text-slate-900 data-[state=active]:shadow-sm"
            >
              {l}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {LANGUAGES.map((l) => (
          <Tabs.Content key={l} value={l} className="space-y-8">
            {credential === "secret" ? (
              <SecretSteps language={l} values={values} api={api} response={response} />
            ) : (
              <AssertionSteps language={l} values={values} credentialsUrl={credentialsUrl} />
            )}
            <Step n={credential === "private_key_jwt" || l === "Node.js" ? 3 : 2} title="Call the API with the token">
              <p className="text-sm text-slate-600">
                Send the token as a Bearer credential in the Authorization header. The API validates it against the tenant&apos;s public keys.
              </p>
              <CodeBlock code={callApiSnippet(l, api.callUrl)} label={`API call in ${l}`} language={l} />
            </Step>
          </Tabs.Content>
        ))}
      </Tabs.Root>
      <CachingStep lifetime={api.lifetime} />
    </div>
  );
}

type Values = { tokenUrl: string; clientId: string; audience: string };

function SecretSteps({ language: l, values, api, response }: { language: Language; values: Values; api: QuickstartApi; response: string }) {
  return (
    <>
      {l === "Node.js" && (
        <Step n={1} title="Use @grantry/client">
          <p className="text-sm text-slate-600">
            The package gets the token, caches it for {api.name}, refreshes it before it expires and sends it with each call (Node.js 20 or later). Replace{" "}
            <code className="font-mono text-xs">YOUR_CLIENT_SECRET</code> with the application&apos;s secret.
          </p>
          <CodeBlock code={NODE_CLIENT_INSTALL} label="install @grantry/client" language="shell" />
          <CodeBlock code={nodeClientSnippet(values, api.callUrl)} label="token client in Node.js" language="Node.js" />
          <p className="text-sm text-slate-600">Or without the package, the same two steps by hand:</p>
        </Step>
      )}
      <Step n={l === "Node.js" ? 2 : 1} title="Request a token">
        <p className="text-sm text-slate-600">
          POST your client credentials to the token URL. Replace <code className="font-mono text-xs">YOUR_CLIENT_SECRET</code> with the secret you copied when
          you created the application or a secret; keep it out of source control.
        </p>
        <CodeBlock code={tokenRequestSnippet(l, values)} label={`token request in ${l}`} language={l} />
        <p className="text-sm text-slate-600">
          The answer: an access token for {api.name}, valid for {api.lifetime} seconds.
        </p>
        <CodeBlock code={response} label="example response" language="json" />
      </Step>
    </>
  );
}

/** The private_key_jwt steps: make a key pair, add its public half, sign an assertion per request. */
function AssertionSteps({ language: l, values, credentialsUrl }: { language: Language; values: Values; credentialsUrl: string }) {
  const code = assertionSnippet(l, values);
  return (
    <>
      <Step n={1} title="Make a key pair">
        <p className="text-sm text-slate-600">
          The service keeps the private key; add the public key on the application&apos;s{" "}
          <a href={credentialsUrl} className="font-medium text-brand-700 underline">
            Credentials tab
          </a>{" "}
          (&quot;Add public key&quot;). Grantry never sees the private key, so nothing on its side can leak it.
        </p>
        <CodeBlock code={KEY_PAIR_COMMANDS} label="key pair commands" language="shell" />
      </Step>
      <Step n={2} title="Request a token with a signed assertion">
        {code ? (
          <>
            <p className="text-sm text-slate-600">
              Sign a new assertion for each request (it is accepted once and expires in a minute), with{" "}
              <code className="font-mono text-xs">private_key.pem</code> beside the program.
              {l === "Node.js" ? (
                <>
                  {" "}
                  <code className="font-mono text-xs">@grantry/client</code> does this for you: give it <code className="font-mono text-xs">privateKey</code>{" "}
                  instead of <code className="font-mono text-xs">clientSecret</code>.
                </>
              ) : null}
            </p>
            <CodeBlock code={code} label={`signed token request in ${l}`} language={l} />
          </>
        ) : (
          <p className="max-w-3xl text-sm text-slate-600">{ASSERTION_NOTES[l]}</p>
        )}
      </Step>
    </>
  );
}

/** The step the caching alert links to (#caching): the most common machine-to-machine mistake is skipping it. */
function CachingStep({ lifetime }: { lifetime: number }) {
  return (
    <section id="caching" aria-label="Reuse the token until it expires" className="space-y-3">
      <h2 className="flex items-center gap-2 text-base font-semibold text-slate-900">
        <span className="flex size-6 items-center justify-center rounded-full bg-brand-600 text-xs text-white">3</span>
        Reuse the token until it expires
      </h2>
      <div className="max-w-3xl space-y-2 text-sm text-slate-600">
        <p>
          A token is valid for {lifetime.toLocaleString("en")} seconds (<code className="font-mono text-xs">expires_in</code>). Keep it in memory and send it
          with every call; request a new one only shortly before it expires (say, a minute early), or when the API answers 401. One token per API and set of
          scopes serves the whole process.
        </p>
        <p>
          Requesting a token before every call makes each call slower, can hit rate limits and quotas, and shows on the Usage tab as a caching warning. A token
          cache such as <code className="font-mono text-xs">@grantry/client</code> does this for you.
        </p>
      </div>
    </section>
  );
}

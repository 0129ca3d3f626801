import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { formatDateTime, formatDuration } from "@/components/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CACHING_RULE, type CachingAlert } from "@/lib/domain/caching";

const n = (value: number) => value.toLocaleString("en");

/** "120×": how many times the tokens a caching client needs. */
function times(alert: CachingAlert): string {
  return `${n(Math.floor(alert.issued / alert.needed))}×`;
}

/**
 * The Usage tab's warning: per API, the tokens issued against those a client
 * that caches its token would need, and how to cache.
 */
export function CachingWarning({ alerts, appName, quickstartHref }: { alerts: CachingAlert[]; appName: string; quickstartHref: string }) {
  if (!alerts.length) return null;
  return (
    <Card
      title="This application is not caching its tokens"
      tone="warning"
      description={`${appName} requests far more tokens than their lifetime needs: probably a new token before every call.`}
    >
      <div className="space-y-4 text-sm text-slate-700">
        <ul className="space-y-2">
          {alerts.map((alert) => (
            <li key={alert.api.id} className="flex gap-2">
              <TriangleAlert aria-hidden className="mt-0.5 size-4 shrink-0 text-amber-700" />
              <span>
                <strong>{n(alert.issued)} tokens</strong> for <strong>{alert.api.name}</strong> since {formatDateTime(alert.since)} (
                {formatDuration(alert.windowSeconds)}). Its tokens live {formatDuration(alert.api.tokenLifetime)}, so a client that reuses each token until it
                expires needs about {n(alert.needed)} — this is {times(alert)} that.
              </span>
            </li>
          ))}
        </ul>
        <p>
          <strong>How to fix it:</strong> keep the token in memory and send it with every call; request a new one only shortly before it expires (its{" "}
          <code className="font-mono text-xs">expires_in</code>), or when the API answers 401. A token cache such as{" "}
          <code className="font-mono text-xs">@grantry/client</code> does this for you. See{" "}
          <Link href={quickstartHref} className="font-medium text-brand-700 underline">
            step 3 of the Quickstart
          </Link>{" "}
          and “Caching tokens” in docs/getting-tokens.md.
        </p>
        <p className="text-xs text-slate-600">
          The rule: more than {CACHING_RULE.factor}× the tokens a caching client needs (one per lifetime), and more than {CACHING_RULE.minimum}, since the start
          of yesterday (UTC), per API. Counters are written in batches, so the last few seconds may not show yet.
        </p>
      </div>
    </Card>
  );
}

/** The list's badge: the application's worst API, with the numbers for screen readers and the tooltip. */
export function CachingBadge({ alerts, href }: { alerts: CachingAlert[]; href: string }) {
  const worst = alerts[0];
  if (!worst) return null;
  const detail = `${n(worst.issued)} tokens for ${worst.api.name} since ${formatDateTime(worst.since)}, ${times(worst)} what a caching client needs`;
  return (
    <Link
      href={href}
      aria-label={`Not caching tokens: ${detail}`}
      className="rounded-full focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none"
    >
      <Badge tone="warning" title={detail}>
        <TriangleAlert aria-hidden className="size-3" /> Not caching tokens
      </Badge>
    </Link>
  );
}

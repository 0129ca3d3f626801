import { TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/components/format";

/** On an application whose live secrets all expire within 7 days: when the last one does. */
export function SecretExpiryBadge({ expiresAt }: { expiresAt: Date }) {
  const date = formatDate(expiresAt);
  return (
    <Badge tone="warning" title={`Every live secret expires by ${date} (UTC): add a new one before then`}>
      <TriangleAlert aria-hidden className="size-3" /> Secret expires soon<span className="sr-only">, by {date}</span>
    </Badge>
  );
}

import { Lock } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";

export function ReadOnlyNotice({ what }: { what: string }) {
  return (
    <EmptyState icon={<Lock aria-hidden className="size-6" />} title="Read-only access">
      Your role in this tenant is viewer: you can look at everything but secrets, and an admin or owner can {what}.
    </EmptyState>
  );
}

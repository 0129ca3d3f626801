"use client";
import { Download } from "lucide-react";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

/** Downloads the tenant as a YAML file ({slug}.yaml), made by the server action. */
export function ExportButton({ slug, exportAction }: { slug: string; exportAction: () => Promise<ActionResult<{ yaml: string }>> }) {
  const [pending, startTransition] = useTransition();
  function download() {
    startTransition(async () => {
      const result = await exportAction();
      if (!toastResult(result) || !result.ok) return;
      const url = URL.createObjectURL(new Blob([result.data.yaml], { type: "application/yaml" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = `${slug}.yaml`;
      link.click();
      URL.revokeObjectURL(url);
    });
  }
  return (
    <Button variant="secondary" onClick={download} disabled={pending}>
      <Download aria-hidden className="size-4" /> {pending ? "Exporting…" : "Export YAML"}
    </Button>
  );
}

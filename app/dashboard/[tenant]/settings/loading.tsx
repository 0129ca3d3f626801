// While this page renders. Leaf segments only: a loading.tsx over the
// applications or APIs segments would also wrap their [id] layouts, whose
// notFound() must answer 404 before the response starts streaming.
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <Skeleton header rows={6} />;
}

// Between an application's tabs: rendered inside the application's layout, so
// its header and tab bar stay while the tab's content loads.
import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <Skeleton />;
}

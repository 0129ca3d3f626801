import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "@/lib/auth";
import { hasAnyUser } from "@/lib/domain/members";

export const dynamic = "force-dynamic";

export default async function Home() {
  if (!(await hasAnyUser())) redirect("/setup");
  const session = await getServerSession(authOptions);
  redirect(session ? "/dashboard" : "/login");
}

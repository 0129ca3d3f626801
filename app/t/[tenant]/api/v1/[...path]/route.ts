// Serves a /t/{slug} tenant's Management API ({issuer}/api/v1/...).
import { serveManagementApi } from "@/lib/http/management-route";

export const dynamic = "force-dynamic";

export const GET = serveManagementApi;
export const POST = serveManagementApi;
export const PATCH = serveManagementApi;
export const PUT = serveManagementApi;
export const DELETE = serveManagementApi;

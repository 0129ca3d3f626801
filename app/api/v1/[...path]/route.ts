// Serves the default tenant's Management API at /api/v1/... (or a host-addressed tenant's).
import { serveManagementApi } from "@/lib/http/management-route";

export const dynamic = "force-dynamic";

export const GET = serveManagementApi;
export const POST = serveManagementApi;
export const PATCH = serveManagementApi;
export const PUT = serveManagementApi;
export const DELETE = serveManagementApi;

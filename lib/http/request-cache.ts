// Reads that a dashboard page and its layouts make alike, done once per
// request (React's cache() is scoped to one server render).
import { cache } from "react";
import { getApi } from "@/lib/domain/apis";
import { getApplication } from "@/lib/domain/applications";

export const applicationOf = cache(getApplication);
export const apiOf = cache(getApi);

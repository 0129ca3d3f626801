// logs/tokens: the token log, as pages of JSON or as an NDJSON export.
import { z } from "zod";
import { exportTokenLog, listTokenLog, MAX_EXPORT_ROWS } from "@/lib/domain/token-log";
import { presentTokenLog, tokenLogFilterShape, tokenLogSchema } from "@/lib/domain/shapes/token-log";
import { listPage, paginationShape } from "../pagination";
import { defineRoute, TextBody } from "../route";

const NDJSON = "application/x-ndjson";

const { page, per_page, ...filters } = {
  ...paginationShape,
  ...tokenLogFilterShape,
  format: z.enum(["json", "ndjson"], { message: 'Either "json" or "ndjson"' }).optional().describe(`ndjson: the export (as Accept: ${NDJSON})`),
};

export const tokenLogQuery = z.object({ page, per_page, ...filters }).strict();

export const tokenLogRoutes = [
  defineRoute({
    method: "GET",
    path: "/logs/tokens",
    operationId: "listTokenRequests",
    tag: "Logs",
    scope: "read:logs",
    summary: "The token log: every token request, success or failure, newest first",
    description:
      "Each request with its application (also for `invalid_client` when the client_id names one), API, scopes asked and granted, outcome and error code, client address, user agent and latency. " +
      "Written in batches about a second apart; identical requests within one batch are one entry with a `count`. " +
      `With \`Accept: ${NDJSON}\` or \`format=ndjson\`: the newest ${MAX_EXPORT_ROWS.toLocaleString("en")} matching requests, one JSON object a line (page and per_page do not apply).`,
    query: tokenLogQuery,
    response: tokenLogSchema,
    list: true,
    produces: [NDJSON],
    async handle({ query, ctx }) {
      const { page, per_page, format, ...filter } = query;
      if (format === "ndjson" || (format === undefined && ctx.header("accept")?.includes(NDJSON))) {
        const rows = await exportTokenLog(ctx.tenant.id, filter);
        return new TextBody(NDJSON, rows.map((r) => JSON.stringify(tokenLogSchema.parse(presentTokenLog(r))) + "\n").join(""));
      }
      const rows = await listTokenLog(ctx.tenant.id, filter, listPage({ page, per_page }));
      return { items: rows.items.map(presentTokenLog), total: rows.total };
    },
  }),
];

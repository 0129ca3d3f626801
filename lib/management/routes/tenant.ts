// users (the tenant's members), keys (list, rotate), logs (the audit trail), stats/tokens.
import { listAuditEvents } from "@/lib/domain/audit";
import { listKeys, rotateKeys } from "@/lib/domain/keys";
import { getMember, listMembers } from "@/lib/domain/members";
import { tokenStats } from "@/lib/domain/token-stats";
import { ValidationError } from "@/lib/domain/errors";
import { presentUser, userSchema } from "@/lib/domain/shapes/members";
import { keySchema, logSchema, presentKey, presentLog, rotateKeysInput, tokenStatsSchema } from "@/lib/domain/shapes/records";
import { z } from "zod";
import { listPage, paginationQuery, paginationShape, presentPage } from "../pagination";
import { dateOrDateTime, idParams } from "../params";
import { defineRoute } from "../route";
import { presentStats, statsRange } from "./stats-range";

export const listLogsQuery = z
  .object({
    ...paginationShape,
    actor: z.string().max(200).optional().describe("Only events by this member id or client_id"),
    action: z.string().max(100).optional().describe("Only this action, e.g. grant.create"),
    from: dateOrDateTime.optional().describe("Only events at or after this date or instant"),
    to: dateOrDateTime.optional().describe("Only events at or before this date or instant (a date includes the whole day)"),
  })
  .strict();

export const statsQuery = z
  .object({
    from: z.iso.date().optional().describe("First day (UTC), default 29 days before `to`"),
    to: z.iso.date().optional().describe("Last day (UTC), default today"),
  })
  .strict();

export const tenantRoutes = [
  defineRoute({
    method: "GET",
    path: "/users",
    operationId: "listUsers",
    tag: "Users",
    scope: "read:users",
    summary: "List the tenant's members",
    description: "Members are the admins of the tenant's dashboard: id, name, email, role, created_at. Password hashes are never part of any response.",
    query: paginationQuery,
    response: userSchema,
    list: true,
    handle: async ({ query, ctx }) => presentPage(await listMembers(ctx.tenant.id, listPage(query)), presentUser),
  }),
  defineRoute({
    method: "GET",
    path: "/users/{id}",
    operationId: "getUser",
    tag: "Users",
    scope: "read:users",
    summary: "Get a member of the tenant",
    params: idParams,
    response: userSchema,
    handle: async ({ params, ctx }) => presentUser(await getMember(ctx.tenant.id, params.id)),
  }),
  defineRoute({
    method: "GET",
    path: "/keys",
    operationId: "listKeys",
    tag: "Signing keys",
    scope: "read:keys",
    summary: "List signing keys (public parts) and their states, newest first",
    query: paginationQuery,
    response: keySchema,
    list: true,
    handle: async ({ query, ctx }) => presentPage(await listKeys(ctx.tenant.id, listPage(query)), presentKey),
  }),
  defineRoute({
    method: "POST",
    path: "/keys/rotate",
    operationId: "rotateKeys",
    tag: "Signing keys",
    scope: "rotate:keys",
    summary: "Rotate the signing keys",
    description:
      "Each current key is replaced; the old one stays published as `previous` until every token it signed has expired. Answers every key of the tenant.",
    body: rotateKeysInput,
    response: keySchema.array(),
    async handle({ body, ctx }) {
      return (await rotateKeys(ctx.tenant.id, ctx.actor, body.algs ? [...new Set(body.algs)] : undefined)).map(presentKey);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/logs",
    operationId: "listLogs",
    tag: "Logs",
    scope: "read:logs",
    summary: "The audit trail, newest first",
    description: "Changes made in the dashboard and through the Management API, with before/after values (never secrets).",
    query: listLogsQuery,
    response: logSchema,
    list: true,
    async handle({ query, ctx }) {
      const from = query.from ? new Date(query.from) : undefined;
      // A bare date as `to` includes its whole day.
      const to = query.to ? new Date(query.to.length === 10 ? `${query.to}T23:59:59.999Z` : query.to) : undefined;
      if (from && to && from > to) throw new ValidationError({ from: "Must not be after `to`" }, "Some query parameters are invalid");
      const page = await listAuditEvents({
        tenantId: ctx.tenant.id,
        actorId: query.actor,
        action: query.action,
        from,
        to,
        page: query.page,
        perPage: query.per_page,
      });
      return { items: page.items.map(presentLog), total: page.total };
    },
  }),
  defineRoute({
    method: "GET",
    path: "/stats/tokens",
    operationId: "getTokenStats",
    tag: "Statistics",
    scope: "read:stats",
    summary: "Token requests per day, per application and per API",
    description: "Counters are written in batches, so the last few seconds may be missing.",
    query: statsQuery,
    response: tokenStatsSchema,
    async handle({ query, ctx }) {
      const { from, to } = statsRange(query);
      return presentStats(from, to, await tokenStats(ctx.tenant.id, from, to), ctx.tenant.issuer);
    },
  }),
];

import assert from "node:assert/strict";
import { test } from "node:test";
import { linkHeader, listPage, paginationQuery } from "./pagination";

const url = new URL("https://auth.example.com/t/acme/api/v1/applications?q=bill&page=2&per_page=10");

test("the Link header names first, prev, next and last pages, keeping other parameters", () => {
  const link = linkHeader(url, { page: 2, per_page: 10 }, 35);
  const rels = Object.fromEntries(
    link.split(", ").map((part) => {
      const [, target, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
      return [rel, new URL(target!)];
    }),
  );
  assert.deepEqual(Object.keys(rels), ["first", "prev", "next", "last"]);
  assert.equal(rels.first.searchParams.get("page"), "1");
  assert.equal(rels.prev.searchParams.get("page"), "1");
  assert.equal(rels.next.searchParams.get("page"), "3");
  assert.equal(rels.last.searchParams.get("page"), "4");
  assert.equal(rels.next.searchParams.get("q"), "bill");
  assert.equal(rels.next.searchParams.get("per_page"), "10");
});

test("the first and last pages have no prev or next; an empty list has one page", () => {
  assert.doesNotMatch(linkHeader(url, { page: 1, per_page: 10 }, 35), /rel="prev"/);
  assert.doesNotMatch(linkHeader(url, { page: 4, per_page: 10 }, 35), /rel="next"/);
  const empty = linkHeader(url, { page: 1, per_page: 10 }, 0);
  assert.match(empty, /page=1&per_page=10>; rel="last"/);
});

test("listPage hands the query's page to the domain, which reads only that page", () => {
  assert.deepEqual(listPage({ page: 2, per_page: 3 }), { page: 2, perPage: 3 });
});

test("page and per_page are coerced from the query string and bounded", () => {
  assert.deepEqual(paginationQuery.parse({}), { page: 1, per_page: 25 });
  assert.deepEqual(paginationQuery.parse({ page: "3", per_page: "100" }), { page: 3, per_page: 100 });
  for (const bad of [{ page: "0" }, { per_page: "101" }, { page: "abc" }, { page: "1.5" }, { other: "1" }]) {
    assert.equal(paginationQuery.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

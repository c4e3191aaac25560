import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { SearchEventsRequestSchema, SearchService, SearchSort } from "../../gen/boxoffice/search/v1/search_pb.js";
import { EventType } from "../../gen/boxoffice/common/v1/event_pb.js";
import { domainErrorInterceptor, validationInterceptor } from "../shared/rpc/interceptors.js";
import { createEventSearch } from "./domain/event-search.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../shared/paging/page-tokens.js";
import type { SearchQuery } from "./domain/search-query.js";
import { searchRoutes } from "./routes.js";

function searchClient() {
  const asked: SearchQuery[] = [];
  const search = createEventSearch({
    backend: { search: async (query) => (asked.push(query), { backend: "fake", degraded: false, hits: [] }) },
    pageTokens: createPageTokens(DEV_PAGE_TOKEN_SECRET, "search"),
    now: () => new Date("2026-11-29T12:00:00Z"),
  });
  const transport = createRouterTransport(searchRoutes({ search }), { router: { interceptors: [domainErrorInterceptor(), validationInterceptor()] } });
  return { client: createClient(SearchService, transport), asked };
}

async function refusal(request: Parameters<ReturnType<typeof searchClient>["client"]["searchEvents"]>[0]) {
  const error = await searchClient().client.searchEvents(request).then(() => undefined, (e: unknown) => ConnectError.from(e));
  expect(error?.code).toBe(Code.InvalidArgument);
  return error!.rawMessage;
}

describe("SearchEvents refuses bad input with INVALID_ARGUMENT naming the field", () => {
  it.each([
    ["a radius of zero", { location: { case: "near", value: { point: { latitude: 51.5, longitude: 0 }, radiusKm: 0 } } }, /near\.radiusKm/],
    ["a negative radius", { location: { case: "near", value: { point: { latitude: 51.5, longitude: 0 }, radiusKm: -5 } } }, /near\.radiusKm/],
    ["a page size of zero", { pageSize: 0 }, /pageSize/],
    ["a huge page size", { pageSize: 100_000 }, /pageSize/],
    ["an unknown type", { type: 99 as EventType }, /type/],
    ["a from after its to", { startsAfter: timestampFromDate(new Date("2027-02-01")), startsBefore: timestampFromDate(new Date("2027-01-01")) }, /startsAfter/],
    ["a point off the globe", { location: { case: "near", value: { point: { latitude: 123, longitude: 0 }, radiusKm: 5 } } }, /latitude/],
    ["a day that is not a date", { date: "2027-13-45" }, /date/],
    ["sorting by distance without a point", { sort: SearchSort.DISTANCE }, /near/],
    ["a page token this service did not issue", { pageToken: "bm9wZQ" }, /page_token/],
    ["a city with a NUL in it", { location: { case: "city", value: "Lon\u0000don" } }, /city.*control characters/],
    ["a time past the year 9999", { startsAfter: { seconds: 253_402_300_800n, nanos: 0 } }, /startsAfter.*years 1 and 9999/],
    ["a time before the year 1", { startsBefore: { seconds: -62_135_596_801n, nanos: 0 } }, /startsBefore.*years 1 and 9999/],
  ] as const)("%s", async (_case, fields, field) => {
    expect(await refusal(create(SearchEventsRequestSchema, fields as never))).toMatch(field);
  });

  it("accepts the same fields within bounds, and passes the search on normalized", async () => {
    const { client, asked } = searchClient();
    await client.searchEvents({ term: " Tayl ", type: EventType.CONCERT, pageSize: 100, location: { case: "city", value: "London" } });
    expect(asked[0]).toMatchObject({ term: "tayl", type: "concert", pageSize: 100, city: "london", sort: "relevance" });
  });
});

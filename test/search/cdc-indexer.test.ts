import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@opensearch-project/opensearch";
import type { Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenSearchEventSearch } from "../../services/search/adapters/opensearch/opensearch-event-search.js";
import { createPageTokens, DEV_PAGE_TOKEN_SECRET } from "../../services/shared/paging/page-tokens.js";
import { createEventSearch, type EventSearch } from "../../services/search/domain/event-search.js";
import type { SearchRequest } from "../../services/search/domain/search-query.js";
import { TABLES } from "../../services/shared/db/tables.js";
import { eventually } from "../support/spawned-service.js";
import { databaseDocuments, indexDocuments } from "./support/index-contents.js";
import { indexerSuitesReady, startIndexedCatalogue, type IndexedCatalogue } from "./support/indexed-catalogue.js";
import { dayFromToday, fixtureEventId } from "./support/search-fixture.js";
import { indicesBehind } from "../../services/indexer/index/index-aliases.js";
import { outdatedIndices } from "../../services/indexer/index/index-schema.js";
import { EVENT_INDEX_SCHEMA_VERSION } from "../../services/shared/search-index/event-index.js";

describe.skipIf(!(await indexerSuitesReady()))("the change-data-capture indexer", () => {
  let catalogue: IndexedCatalogue;
  let db: Knex;
  let client: Client;
  let alias: string;
  let search: EventSearch;

  const names = async (request: Partial<SearchRequest>) =>
    (await search.search({ term: "", includePast: false, pageSize: 100, ...request })).hits.map((hit) => hit.name);

  beforeAll(async () => {
    catalogue = await startIndexedCatalogue("cdc");
    ({ db, client, alias } = catalogue);
    search = createEventSearch({ backend: createOpenSearchEventSearch(client, alias), pageTokens: createPageTokens(DEV_PAGE_TOKEN_SECRET, "search") });
  }, 180_000);

  afterAll(async () => {
    await catalogue?.close();
  });

  it("builds the index from the database on its first start", async () => {
    expect(await indexDocuments(client, alias)).toEqual(await databaseDocuments(db));
  });

  it("makes a new event searchable", async () => {
    const [venue] = await db(TABLES.venues).where({ name: "Seafront Arena" }).pluck("id");
    const [performer] = await db(TABLES.performers).where({ name: "Marisol Vega" }).pluck("id");
    const startsAt = new Date(Date.now() + 9 * 86_400_000);
    await db.transaction(async (trx) => {
      const [{ id }] = await trx(TABLES.events)
        .insert({ name: "Pier Party", type: "festival", venue_id: venue, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 3_600_000), currency: "GBP" })
        .returning("id");
      await trx(TABLES.eventPerformers).insert({ event_id: id, performer_id: performer });
    });
    await eventually(async () => expect(await names({ term: "pier party" })).toEqual(["Pier Party"]));
    expect(await names({ term: "marisol", city: "brighton" })).toEqual(["Pier Party"]);
  });

  it("shows an event's new name and no longer its old one", async () => {
    await db(TABLES.events).where({ id: fixtureEventId("E17") }).update({ name: "Swan Lake Reimagined" });
    await eventually(async () => expect(await names({ term: "reimagined" })).toEqual(["Swan Lake Reimagined"]));
    await db(TABLES.events).where({ id: fixtureEventId("E18") }).update({ name: "Macbeth" });
    await eventually(async () => expect(await names({ term: "hamlet" })).toEqual([]));
    expect(await names({ term: "macbeth" })).toEqual(["Macbeth"]);
  });

  it("drops a deleted event and a cancelled one", async () => {
    await db(TABLES.events).where({ id: fixtureEventId("E20") }).del();
    await db(TABLES.events).where({ id: fixtureEventId("E25") }).update({ status: "cancelled" });
    await eventually(async () => {
      expect(await names({ term: "dinosaur" })).toEqual([]);
      expect(await names({ term: "honky" })).toEqual([]);
    });
    const stored = await indexDocuments(client, alias);
    expect(stored.has(fixtureEventId("E20"))).toBe(false);
    expect(stored.get(fixtureEventId("E25"))?.status).toBe("cancelled");
  });

  it("renaming a performer updates every event they play", async () => {
    await db(TABLES.performers).where({ name: "Lena Hartmann" }).update({ name: "Lena Hartwell" });
    await eventually(async () => expect((await names({ term: "hartwell" })).sort()).toEqual(["Hartmann & Friends", "Lena Hartmann All Night Long", "Warehouse Techno"]));
    expect(await names({ term: "hartmann" })).toEqual(expect.not.arrayContaining(["Warehouse Techno"]));
  });

  it("moving a venue to another city moves its events in city and distance searches", async () => {
    // Harbourfront Forum moves from Toronto to Montreal.
    await db(TABLES.venues).where({ name: "Harbourfront Forum" }).update({ city: "Montreal", latitude: 45.5017, longitude: -73.5673 });
    const montreal = { latitude: 45.5, longitude: -73.57, radiusKm: 10 };
    // Its four upcoming events join the one already at Olympia Hall, Montréal.
    await eventually(async () => expect((await names({ near: montreal })).length).toBe(5));
    expect(await names({ city: "montreal", type: "sports" })).toEqual(["Toronto Blizzard vs Chicago Comets"]);
    expect(await names({ city: "toronto" })).toEqual([]);
  });

  it("a venue moving to another time zone moves its events to the day its new clock shows", async () => {
    // Lakeside Pavilion's shows start at 19:00 UTC; at UTC+9 that is 04:00 the next morning.
    const show = { term: "midnight arcs", includePast: true };
    expect(await names({ ...show, date: dayFromToday(10) })).toEqual(["Taylor Quinn: The Midnight Arcs Tour"]);
    await db(TABLES.venues).where({ name: "Lakeside Pavilion" }).update({ timezone: "Asia/Tokyo" });
    await eventually(async () => expect(await names({ ...show, date: dayFromToday(11) })).toEqual(["Taylor Quinn: The Midnight Arcs Tour"]));
    expect(await names({ ...show, date: dayFromToday(10) })).toEqual([]);
    const [hit] = (await search.search({ ...show, date: dayFromToday(11) })).hits;
    expect(hit?.venueTimeZone).toBe("Asia/Tokyo");
  });

  it("shows an event as sold out once its last ticket is sold", async () => {
    const eventId = fixtureEventId("E22");
    await db.transaction(async (trx) => {
      const [{ id: bookingId }] = await trx(TABLES.bookings)
        .insert({ user_id: "cdc-test", event_id: eventId, total_minor: 0, currency: "GBP", idempotency_key: "cdc-sold-out" })
        .returning("id");
      await trx(TABLES.tickets).where({ event_id: eventId }).update({ status: "booked", booking_id: bookingId });
    });
    await eventually(async () => {
      const [hit] = (await search.search({ term: "sienna okafor", city: "brighton", includePast: false })).hits;
      expect(hit).toMatchObject({ name: "Sienna Okafor", ticketsAvailable: false, lowestPriceMinor: null });
    });
  });

  it("confirms its position while only tables it does not follow change, so the slot holds no WAL back", async () => {
    await db.raw("CREATE TABLE IF NOT EXISTS unrelated_noise (n integer)");
    await db("unrelated_noise").insert(Array.from({ length: 100 }, (_, n) => ({ n })));
    const { rows } = await db.raw<{ rows: Array<{ lsn: string }> }>("SELECT pg_current_wal_insert_lsn()::text AS lsn");
    await eventually(async () => {
      const result = await db.raw<{ rows: Array<{ caught_up: boolean }> }>(
        "SELECT confirmed_flush_lsn >= ?::pg_lsn AS caught_up FROM pg_replication_slots WHERE slot_name = ?",
        [rows[0]!.lsn, catalogue.slot],
      );
      expect(result.rows[0]?.caught_up).toBe(true);
    }, 45_000);
  });

  it("re-checks every document after a TRUNCATE of a table it follows", async () => {
    await db.raw("TRUNCATE event_performers");
    await eventually(async () => expect(await names({ term: "kojo" })).toEqual(["Kojo Mensah: Highlife Nights"]));
    expect(await indexDocuments(client, alias)).toEqual(await databaseDocuments(db));
  });

  it("killed mid-stream and restarted, it resumes from its slot and the index equals the database", async () => {
    const [venueIds, performerIds] = await Promise.all([db(TABLES.venues).pluck("id"), db(TABLES.performers).pluck("id")]);
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        await oneChange(db, n, venueIds as string[], performerIds as string[]);
        writes++;
      }
    })();

    await eventually(async () => expect(await names({ term: "revision" })).not.toEqual([]));
    await catalogue.indexer.kill();
    const writesAtKill = writes;
    await sleep(1_000);
    await catalogue.restartIndexer();
    await sleep(1_000);
    writing = false;
    await writer;
    expect(writes).toBeGreaterThan(writesAtKill);

    await eventually(async () => expect(await indexDocuments(client, alias)).toEqual(await databaseDocuments(db)), 60_000, 500);
  }, 120_000);

  it("rebuilds an index of an older document schema on start, behind the alias, then follows changes into the new one", async () => {
    await catalogue.indexer.stop();
    const [old] = await indicesBehind(client, alias);
    await client.indices.putMapping({ index: old!, body: { _meta: { schema_version: EVENT_INDEX_SCHEMA_VERSION - 1 } } as never });
    await db(TABLES.events).where({ id: fixtureEventId("E29") }).update({ name: "Stand-up Showcase Encore" });

    await catalogue.restartIndexer();
    const [rebuilt] = await indicesBehind(client, alias);
    expect(rebuilt).not.toBe(old);
    expect(await outdatedIndices(client, [rebuilt!])).toEqual([]);
    expect(await indexDocuments(client, alias)).toEqual(await databaseDocuments(db));
    await db(TABLES.events).where({ id: fixtureEventId("E29") }).update({ name: "Stand-up Showcase Finale" });
    await eventually(async () => expect(await names({ term: "finale" })).toEqual(["Stand-up Showcase Finale"]));
  }, 120_000);
});

/** One committed change of a varied mix: renames, new and deleted events, prices, line-ups, venues. */
async function oneChange(db: Knex, n: number, venueIds: string[], performerIds: string[]): Promise<void> {
  const venue = venueIds[n % venueIds.length]!;
  const performer = performerIds[n % performerIds.length]!;
  switch (n % 6) {
    case 0:
    case 1: {
      const startsAt = new Date(Date.now() + (2 + (n % 50)) * 86_400_000);
      await db.transaction(async (trx) => {
        const [{ id }] = await trx(TABLES.events)
          .insert({ name: `Revision ${n}`, type: "concert", venue_id: venue, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 3_600_000), currency: "GBP" })
          .returning("id");
        await trx(TABLES.eventPerformers).insert({ event_id: id, performer_id: performer });
        await trx(TABLES.tickets).insert({ event_id: id, section: "GA", seat_number: 1, price_minor: 1000 + n, currency: "GBP" });
      });
      return;
    }
    case 2:
      await db(TABLES.events).whereIn("id", db(TABLES.events).where("name", "like", "Revision %").orderBy("id").limit(1).select("id")).del();
      return;
    case 3:
      await db(TABLES.tickets).whereIn("event_id", db(TABLES.events).where("name", "like", "Revision %").orderBy("created_at", "desc").limit(2).select("id")).update({ price_minor: 500 + n });
      return;
    case 4:
      await db(TABLES.performers).where({ id: performer }).update({ name: db.raw("regexp_replace(name, ' v[0-9]+$', '') || ' v' || ?", [n]) });
      return;
    default:
      await db(TABLES.venues).where({ id: venue }).update({ latitude: db.raw("latitude + 0.001") });
  }
}

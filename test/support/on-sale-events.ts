import type { Knex } from "knex";

/**
 * Narrows an events query to events a buyer can reserve now: scheduled, on sale, not started.
 * Suites that reserve demo events go through here, since about one demo event in ten goes on
 * sale later. `alias` is the events table's name or alias in the query.
 */
export function whereOnSale(query: Knex.QueryBuilder, alias = "events", now = new Date()): Knex.QueryBuilder {
  return query
    .where(`${alias}.status`, "scheduled")
    .andWhere(`${alias}.starts_at`, ">", now)
    .andWhere((sale) => sale.whereNull(`${alias}.on_sale_at`).orWhere(`${alias}.on_sale_at`, "<=", now));
}

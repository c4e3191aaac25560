import type { Knex } from 'knex';
import * as catalog from './001-catalog.migration.js';
import * as eventSearch from './002-event-search.migration.js';
import * as ticketsBookings from './003-tickets-bookings.migration.js';
import * as payments from './004-payments.migration.js';
import * as searchLexicon from './005-search-lexicon.migration.js';
import * as searchPublication from './006-search-publication.migration.js';
import * as paymentsReservation from './007-payments-reservation.migration.js';
import * as searchUnaccent from './008-search-unaccent.migration.js';
import * as searchAccentFolding from './009-search-accent-folding.migration.js';
import * as bookTicketsFunction from './010-book-tickets-function.migration.js';
import * as paymentLedgerIntegrity from './011-payment-ledger-integrity.migration.js';
import * as cancellationsRefunds from './014-cancellations-refunds.migration.js';
import * as purchaseLimits from './015-purchase-limits.migration.js';

export interface NamedMigration extends Knex.Migration {
  name: string;
}

// Listed by static import, not read from a directory: the same list then holds under vitest,
// tsx and compiled dist/ JS, where file names and extensions differ. Order is apply order;
// append new migrations, never reorder or rename shipped ones (their names are recorded).
export const MIGRATIONS: readonly NamedMigration[] = [
  catalog,
  eventSearch,
  ticketsBookings,
  payments,
  searchLexicon,
  searchPublication,
  paymentsReservation,
  searchUnaccent,
  searchAccentFolding,
  bookTicketsFunction,
  paymentLedgerIntegrity,
  cancellationsRefunds,
  purchaseLimits,
];

export const migrationSource: Knex.MigrationSource<NamedMigration> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

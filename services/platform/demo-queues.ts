import type { Knex } from "knex";
import { TABLES } from "../shared/db/tables.js";
import type { Logger } from "../shared/logging/logger.js";
import type { WaitingRoom } from "../queue/domain/waiting-room.js";

/**
 * The embedded default opens a waiting room for every high-demand event at start: booking
 * sells those only to admitted buyers, and an operator who just ran `npm start` has no admin
 * console to open one from. Its queues live in process, so each start opens them anew.
 */
export async function openDemoQueues(db: Knex, room: WaitingRoom, logger: Logger, ratePerMinute = 120): Promise<void> {
  const events = await db(TABLES.events).where({ high_demand: true }).pluck("id");
  for (const eventId of events as string[]) await room.open(eventId, ratePerMinute);
  if (events.length > 0) logger.info({ events: events.length, ratePerMinute }, "waiting rooms open for the high-demand events");
}

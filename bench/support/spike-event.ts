/**
 * The event the spike sells, made through the edge as an admin would: a venue of `seats` seats
 * (sections of up to 20 rows of 25), an event going on sale at `onSaleAtMs`, high-demand with
 * its waiting room opened by the admin RPC at the given rate (or neither, for the spike
 * without a waiting room), and its ticket ids in layout order, which a browser reads from the
 * cacheable layout before the on-sale (so the bench reads them once for all buyers).
 */
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { QueueService } from "../../gen/boxoffice/queue/v1/queue_pb.js";
import { eventInput, venueInput, type SectionSpec } from "../../test/catalog/catalog-fixture.js";

const ROWS_PER_SECTION = 20;
const SEATS_PER_ROW = 25;

/** Sections of up to 20 rows of 25 seats, the last rows and section as short as `seats` needs. */
export function venueSections(seats: number): SectionSpec[] {
  const sections: SectionSpec[] = [];
  for (let left = seats, index = 1; left > 0; index++) {
    const rows: Array<{ label: string; seats: number }> = [];
    for (let row = 1; row <= ROWS_PER_SECTION && left > 0; row++) {
      const inRow = Math.min(SEATS_PER_ROW, left);
      rows.push({ label: String(row), seats: inRow });
      left -= inRow;
    }
    sections.push({ code: `S${index}`, rows });
  }
  return sections;
}

export interface SpikeEvent {
  eventId: string;
  /** Position in the availability bits → ticket id. */
  ticketIds: string[];
}

export async function createSpikeEvent(options: { edgeUrl: string; adminToken: string; seats: number; onSaleAtMs: number; queue: boolean; admitPerSecond: number }): Promise<SpikeEvent> {
  const transport = createConnectTransport({ baseUrl: options.edgeUrl, httpVersion: "1.1" });
  const admin = { headers: { authorization: `Bearer ${options.adminToken}` } };
  const catalog = createClient(CatalogService, transport);
  const sections = venueSections(options.seats);
  const { venue } = await catalog.createVenue({ venue: venueInput("Spike Arena", sections) }, admin);
  const prices = Object.fromEntries(sections.map((section, index) => [section.code, 6_000 + index * 500]));
  const overrides = { name: "Spike On-Sale", onSaleAt: timestampFromMs(options.onSaleAtMs), highDemand: options.queue };
  const { event } = await catalog.createEvent({ event: eventInput(venue!.id, prices, overrides) }, admin);
  const eventId = event!.id;
  if (options.queue) {
    const queue = createClient(QueueService, transport);
    await queue.openQueue({ eventId, admissionRatePerMinute: Math.round(options.admitPerSecond * 60) }, admin);
  }
  const { layout } = await catalog.getEventLayout({ eventId });
  const ticketIds = new Array<string>(layout!.seatCount);
  for (const section of layout!.sections) {
    const { layout: own } = await catalog.getEventLayout({ eventId, section: section.code });
    own!.sectionTicketIds.forEach((ticketId, index) => (ticketIds[section.firstPosition + index] = ticketId));
  }
  if (layout!.seatCount !== options.seats || ticketIds.some((id) => !id)) throw new Error(`the layout maps ${ticketIds.filter(Boolean).length} of ${layout!.seatCount} seats, the venue has ${options.seats}`);
  return { eventId, ticketIds };
}

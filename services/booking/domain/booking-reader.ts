import { invalid, notFound } from "../../shared/errors/domain-error.js";
import type { PageTokens } from "../../shared/paging/page-tokens.js";
import type { Booking } from "./booking-types.js";

export interface BookingStore {
  findBooking(bookingId: string): Promise<Booking | undefined>;
  /** Newest first; `before` is the keyset cursor (created_at, id) of the previous page's last row. */
  listBookings(userId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<Booking[]>;
}

const DEFAULT_PAGE_SIZE = 20;

/** GetBooking and ListMyBookings: a buyer sees only their own bookings. */
export function createBookingReader({ store, pageTokens }: { store: BookingStore; pageTokens: PageTokens }) {
  return {
    async getBooking(userId: string, bookingId: string): Promise<Booking> {
      const booking = await store.findBooking(bookingId);
      // Another user's booking answers exactly like a missing one: no probing for ids.
      if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`, { field: "booking_id" });
      return booking;
    },

    async listMyBookings(userId: string, pageSize = DEFAULT_PAGE_SIZE, pageToken?: string) {
      const before = pageToken ? decodeCursor(pageTokens.open(pageToken)) : undefined;
      const rows = await store.listBookings(userId, pageSize + 1, before);
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return {
        bookings: page,
        nextPageToken: rows.length > pageSize && last ? pageTokens.seal(encodeCursor(last)) : "",
      };
    },
  };
}

export type BookingReader = ReturnType<typeof createBookingReader>;

const encodeCursor = (booking: Booking) => JSON.stringify([booking.createdAt.toISOString(), booking.id]);

// The token's MAC already proves this code wrote the cursor; the checks stay as a second guard.
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(cursor) as [string, string];
    const date = new Date(createdAt);
    if (typeof id === "string" && !Number.isNaN(date.getTime())) return { createdAt: date, id };
  } catch {
    // fall through to the error below
  }
  throw invalid("page_token is not one this service issued; start again without it", { field: "page_token" });
}

import { invalid, notFound } from "../../shared/errors/domain-error.js";
import type { Booking } from "./booking-types.js";

export interface BookingStore {
  findBooking(bookingId: string): Promise<Booking | undefined>;
  /** Newest first; `before` is the keyset cursor (created_at, id) of the previous page's last row. */
  listBookings(userId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<Booking[]>;
}

const DEFAULT_PAGE_SIZE = 20;

/** GetBooking and ListMyBookings: a buyer sees only their own bookings. */
export function createBookingReader({ store }: { store: BookingStore }) {
  return {
    async getBooking(userId: string, bookingId: string): Promise<Booking> {
      const booking = await store.findBooking(bookingId);
      // Another user's booking answers exactly like a missing one: no probing for ids.
      if (!booking || booking.userId !== userId) throw notFound(`booking ${bookingId} not found`, { field: "booking_id" });
      return booking;
    },

    async listMyBookings(userId: string, pageSize = DEFAULT_PAGE_SIZE, pageToken?: string) {
      const before = pageToken ? decodeCursor(pageToken) : undefined;
      const rows = await store.listBookings(userId, pageSize + 1, before);
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return {
        bookings: page,
        nextPageToken: rows.length > pageSize && last ? encodeCursor(last) : "",
      };
    },
  };
}

export type BookingReader = ReturnType<typeof createBookingReader>;

function encodeCursor(booking: Booking): string {
  return Buffer.from(JSON.stringify([booking.createdAt.toISOString(), booking.id])).toString("base64url");
}

function decodeCursor(token: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as [string, string];
    const date = new Date(createdAt);
    if (typeof id === "string" && !Number.isNaN(date.getTime())) return { createdAt: date, id };
  } catch {
    // fall through to the error below
  }
  throw invalid("page_token is not one this service issued; start again without it", { field: "page_token" });
}

export interface BookedTicket {
  ticketId: string;
  section: string;
  row: string | null;
  seat: number | null;
  priceMinor: number;
}

export interface Booking {
  id: string;
  userId: string;
  eventId: string;
  status: "confirmed" | "cancelled";
  tickets: BookedTicket[];
  totalMinor: number;
  currency: string;
  createdAt: Date;
}

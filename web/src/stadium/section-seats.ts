import type { LayoutSection } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";

/** One seat of a section as drawn: its grid cell, its place in the layout, its price. */
export interface PlacedSeat {
  row: string;
  seat: number;
  /** Row index (top to bottom) and column (seat number − 1). */
  y: number;
  x: number;
  /** Position in layout order: the index into the availability bits. */
  position: number;
  /** Offset within the section: the index into its ticket ids. */
  offset: number;
  priceIndex: number;
}

/** A standing area's places are drawn this many to a line, not as one endless row. */
const STANDING_COLUMNS = 50;

/** A section's seats as a grid: rows in layout order with seats at their numbers; standing places wrapped. */
export function placeSeats(section: LayoutSection): { seats: PlacedSeat[]; columns: number; rows: number } {
  const seats: PlacedSeat[] = [];
  let offset = 0;
  let columns = 0;
  let rows = 0;
  section.rows.forEach((row, rowIndex) => {
    for (const run of row.runs) {
      for (let i = 0; i < run.count; i++) {
        const seat = run.firstSeat + i;
        const [x, y] = section.generalAdmission ? [(seat - 1) % STANDING_COLUMNS, Math.floor((seat - 1) / STANDING_COLUMNS)] : [seat - 1, rowIndex];
        seats.push({ row: row.label, seat, y, x, position: section.firstPosition + offset, offset, priceIndex: run.priceIndex });
        offset++;
        columns = Math.max(columns, x + 1);
        rows = Math.max(rows, y + 1);
      }
    }
  });
  return { seats, columns, rows };
}

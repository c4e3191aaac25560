/** A venue's seat map of equal sections (S1, S2, …) of equal rows: what the benches sell and view. */
export function seatMap(sections: number, rows: number, seats: number) {
  return Array.from({ length: sections }, (_, s) => ({
    code: `S${s + 1}`,
    rows: Array.from({ length: rows }, (_, r) => ({ label: String(r + 1), seats })),
  }));
}

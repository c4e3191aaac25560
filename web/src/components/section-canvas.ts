import { h } from "../dom.js";
import type { PlacedSeat } from "../stadium/section-seats.js";
import type { SeatLook } from "./seat-legend.js";

export interface SectionCanvas {
  element: HTMLElement;
  /** Draws every seat again, e.g. after live changes. */
  repaint(): void;
  focus(): void;
  dispose(): void;
}

const GAP = 2;
const MIN_CELL = 14;
const MAX_CELL = 28;

/**
 * One section's seats on a canvas: a stadium section has a thousand or more, far too many
 * buttons for a phone. Pointer: tap a seat. Keyboard: the canvas takes focus, the arrow keys
 * move a cursor from seat to seat (Home/End: ends of the row), Enter or Space chooses; each move
 * is read out (seat, price, state) through a live region.
 */
export function createSectionCanvas(options: {
  label: string;
  seats: readonly PlacedSeat[];
  columns: number;
  rows: number;
  lookOf(seat: PlacedSeat): SeatLook;
  describe(seat: PlacedSeat): string;
  onChoose(seat: PlacedSeat): void;
}): SectionCanvas {
  const canvas = h("canvas", {
    class: "section-canvas",
    tabindex: 0,
    role: "application",
    "aria-roledescription": "seat map",
    "aria-label": `${options.label}: arrow keys move between seats, Enter chooses`,
  });
  const said = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const element = h("div", { class: "section-canvas-box" }, canvas, said);
  const byCell = new Map(options.seats.map((seat) => [`${seat.x},${seat.y}`, seat]));
  const byRow: PlacedSeat[][] = [];
  for (const seat of options.seats) (byRow[seat.y] ??= []).push(seat);
  for (const row of byRow) row?.sort((a, b) => a.x - b.x);
  let cursor: PlacedSeat | undefined = options.seats[0];
  let cell = MIN_CELL;

  const colours = () => {
    const style = getComputedStyle(document.documentElement);
    const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
    return {
      available: v("--seat-available", "#fff"),
      selected: v("--seat-selected", "#0b57d0"),
      mine: v("--seat-mine", "#5b2bd1"),
      reserved: v("--seat-reserved", "#f2c14e"),
      booked: v("--seat-booked", "#9aa1ad"),
      edge: v("--ok", "#1b7f3b"),
      ink: v("--ink", "#111"),
    };
  };

  function repaint(): void {
    const width = element.clientWidth || options.columns * (MIN_CELL + GAP);
    cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(width / options.columns) - GAP));
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = options.columns * (cell + GAP);
    const cssHeight = options.rows * (cell + GAP);
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssHeight}px`;
    canvas.width = Math.ceil(cssWidth * ratio);
    canvas.height = Math.ceil(cssHeight * ratio);
    const context = canvas.getContext("2d");
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const palette = colours();
    for (const seat of options.seats) {
      const look = options.lookOf(seat);
      const [x, y] = [seat.x * (cell + GAP), seat.y * (cell + GAP)];
      context.fillStyle = palette[look];
      context.fillRect(x, y, cell, cell);
      if (look === "available") {
        context.strokeStyle = palette.edge;
        context.lineWidth = 1.5;
        context.strokeRect(x + 0.75, y + 0.75, cell - 1.5, cell - 1.5);
      }
    }
    if (cursor && document.activeElement === canvas) {
      context.strokeStyle = palette.ink;
      context.lineWidth = 2;
      context.strokeRect(cursor.x * (cell + GAP) - 1, cursor.y * (cell + GAP) - 1, cell + 2, cell + 2);
    }
  }

  function moveTo(seat: PlacedSeat | undefined): void {
    if (!seat) return;
    cursor = seat;
    said.textContent = options.describe(seat);
    repaint();
  }

  function nearestInRow(y: number, x: number): PlacedSeat | undefined {
    const row = byRow[y];
    if (!row) return undefined;
    return row.reduce((best, seat) => (Math.abs(seat.x - x) < Math.abs(best.x - x) ? seat : best), row[0]!);
  }

  canvas.addEventListener("keydown", (event) => {
    if (!cursor) return;
    const row = byRow[cursor.y] ?? [];
    const index = row.indexOf(cursor);
    const step = (dy: number) => {
      for (let y = cursor!.y + dy; y >= 0 && y < byRow.length; y += dy) if (byRow[y]) return nearestInRow(y, cursor!.x);
      return undefined;
    };
    const moves: Record<string, () => PlacedSeat | undefined> = {
      ArrowLeft: () => row[index - 1],
      ArrowRight: () => row[index + 1],
      ArrowUp: () => step(-1),
      ArrowDown: () => step(1),
      Home: () => row[0],
      End: () => row.at(-1),
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!());
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      options.onChoose(cursor);
      said.textContent = options.describe(cursor);
    }
  });
  canvas.addEventListener("focus", () => moveTo(cursor));
  canvas.addEventListener("blur", repaint);
  canvas.addEventListener("click", (event) => {
    const bounds = canvas.getBoundingClientRect();
    const x = Math.floor((event.clientX - bounds.left) / (cell + GAP));
    const y = Math.floor((event.clientY - bounds.top) / (cell + GAP));
    const seat = byCell.get(`${x},${y}`);
    if (!seat) return;
    cursor = seat;
    options.onChoose(seat);
    said.textContent = options.describe(seat);
  });
  const resized = new ResizeObserver(() => repaint());
  resized.observe(element);

  return { element, repaint, focus: () => canvas.focus(), dispose: () => resized.disconnect() };
}

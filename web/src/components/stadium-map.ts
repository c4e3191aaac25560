import { create } from "@bufbuild/protobuf";
import type { EventLayout, LayoutSection } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { TicketSchema, TicketStatus, type Ticket } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { announce, h } from "../dom.js";
import { seatLabel } from "../format/labels.js";
import { formatMoney } from "../format/money.js";
import type { AvailabilityUpdate } from "../live/availability-feed.js";
import { placeSeats, type PlacedSeat } from "../stadium/section-seats.js";
import { availableCount, seatStatus, setSeatStatus } from "../stadium/seat-states.js";
import { createSectionCanvas, type SectionCanvas } from "./section-canvas.js";
import { LOOK_WORDS, seatLegend, seatLook, type SeatLook } from "./seat-legend.js";
import type { SeatMap } from "./seat-map.js";

export interface StadiumMap extends SeatMap {
  /** Live seat states from the compact watch or a refresh. */
  applyAvailability(update: AvailabilityUpdate): void;
}

/**
 * A big venue as sections first (buttons with prices and counts, drawn at once from the
 * layout and the availability bits), then the chosen section's seats on a canvas. The ticket
 * ids of a section are fetched when it is opened (cacheable for good by the layout's version).
 */
export function createStadiumMap(options: {
  eventId: string;
  layout: EventLayout;
  bits: Uint8Array;
  maxSelection: number;
  sectionTicketIds(code: string): Promise<string[]>;
  onSelectionChange(selected: Ticket[]): void;
  onSelectedTaken(tickets: Ticket[]): void;
  /** The event's tickets were regenerated: this layout is stale. */
  onLayoutChanged(): void;
}): StadiumMap {
  const { layout } = options;
  let bits = options.bits.slice();
  const selection = new Map<string, Ticket>();
  let mine = new Set<string>();
  let locked = false;
  // A new layout version (a price or a name changed, or tickets were regenerated) redraws the
  // page, but never under an order in progress: that waits until the order is over.
  let layoutChanged = false;
  const idsOf = new Map<string, string[]>();
  const positionOf = new Map<string, number>();
  const names = new Map(layout.sections.map((section) => [section.code, section.name || section.code]));
  let open: SectionCanvas | undefined;
  let opening = 0;

  const idAt = (section: LayoutSection, seat: PlacedSeat) => idsOf.get(section.code)?.[seat.offset];

  function lookOf(section: LayoutSection, seat: PlacedSeat): SeatLook {
    const id = idAt(section, seat);
    return seatLook(id !== undefined && mine.has(id), id !== undefined && selection.has(id), seatStatus(bits, seat.position));
  }

  const ticketOf = (section: LayoutSection, seat: PlacedSeat, id: string) =>
    create(TicketSchema, { id, eventId: options.eventId, section: section.code, row: seat.row, seat: seat.seat, price: layout.prices[seat.priceIndex], status: TicketStatus.AVAILABLE });

  const describe = (section: LayoutSection, seat: PlacedSeat) =>
    `${seatLabel({ section: section.code, row: seat.row, seat: seat.seat }, names.get(section.code))}${section.generalAdmission ? ` ${seat.seat}` : ""}, ${formatMoney(layout.prices[seat.priceIndex])}, ${LOOK_WORDS[lookOf(section, seat)]}`;

  const changed = () => options.onSelectionChange([...selection.values()]);

  function choose(section: LayoutSection, seat: PlacedSeat): void {
    const id = idAt(section, seat);
    if (locked || !id) return;
    if (selection.has(id)) selection.delete(id);
    else if (lookOf(section, seat) === "available") {
      if (selection.size >= options.maxSelection) {
        announce(`You can buy at most ${options.maxSelection} tickets in one order.`);
        return;
      }
      selection.set(id, ticketOf(section, seat, id));
    } else return;
    open?.repaint();
    paintCount(section);
    changed();
  }

  // Sections: one button each, with its prices and how many seats are left.
  const counts = new Map<string, HTMLElement>();
  const buttons = new Map<string, HTMLButtonElement>();
  const seatsBox = h("div", { id: "stadium-seats", class: "stadium-seats" }, h("p", { class: "stadium-hint" }, "Choose a section to see its seats."));

  function priceRange(section: LayoutSection): string {
    const indexes = new Set(section.rows.flatMap((row) => row.runs.map((run) => run.priceIndex)));
    const prices = [...indexes].map((index) => layout.prices[index]!).sort((a, b) => Number(a.amountMinor - b.amountMinor));
    if (prices.length === 0) return "";
    return prices.length === 1 ? formatMoney(prices[0]) : `${formatMoney(prices[0])} – ${formatMoney(prices.at(-1))}`;
  }

  function paintCount(section: LayoutSection): void {
    let available = availableCount(bits, section.firstPosition, section.seatCount);
    for (const ticket of selection.values()) if (ticket.section === section.code) available--;
    const text = `${available.toLocaleString()} of ${section.seatCount.toLocaleString()} available`;
    counts.get(section.code)!.textContent = text;
    buttons.get(section.code)!.dataset.soldOut = String(available <= 0);
  }

  const sectionList = h(
    "ul",
    { class: "stadium-sections", "aria-label": "Sections" },
    layout.sections.map((section) => {
      const count = h("span", { class: "section-count" });
      counts.set(section.code, count);
      const button = h(
        "button",
        { type: "button", class: "stadium-section", "data-section": section.code, "aria-pressed": "false", "aria-controls": "stadium-seats", onclick: () => void openSection(section) },
        h("span", { class: "section-name" }, names.get(section.code) ?? section.code),
        h("span", { class: "section-price" }, priceRange(section)),
        count,
      );
      buttons.set(section.code, button);
      return h("li", {}, button);
    }),
  );
  for (const section of layout.sections) paintCount(section);

  async function openSection(section: LayoutSection): Promise<void> {
    const attempt = ++opening;
    for (const [code, button] of buttons) button.setAttribute("aria-pressed", String(code === section.code));
    seatsBox.replaceChildren(h("p", { class: "stadium-hint" }, `Loading the seats of ${names.get(section.code)}…`));
    try {
      if (!idsOf.has(section.code)) {
        const ids = await options.sectionTicketIds(section.code);
        idsOf.set(section.code, ids);
        ids.forEach((id, offset) => positionOf.set(id, section.firstPosition + offset));
      }
    } catch {
      if (attempt === opening) seatsBox.replaceChildren(h("p", { class: "notice notice-error", role: "alert" }, "The seats of this section could not be loaded. Choose it again to retry."));
      return;
    }
    if (attempt !== opening) return;
    open?.dispose();
    const { seats, columns, rows } = placeSeats(section);
    const canvas = createSectionCanvas({
      label: `Seats of ${names.get(section.code)}`,
      seats,
      columns,
      rows,
      lookOf: (seat) => lookOf(section, seat),
      describe: (seat) => describe(section, seat),
      onChoose: (seat) => choose(section, seat),
    });
    open = canvas;
    seatsBox.replaceChildren(h("h3", { class: "stadium-seats-heading" }, names.get(section.code) ?? section.code, " ", h("span", { class: "section-price" }, priceRange(section))), canvas.element);
    canvas.repaint();
    // On a phone the seats are below forty section buttons: bring them, and the keyboard, there.
    canvas.focus();
  }

  /** Drops seats someone else took from the selection, telling the buyer. */
  function dropTaken(): void {
    const taken: Ticket[] = [];
    for (const [id, ticket] of selection) {
      const position = positionOf.get(id);
      if (position !== undefined && seatStatus(bits, position) !== TicketStatus.AVAILABLE && !locked) {
        selection.delete(id);
        taken.push(ticket);
      }
    }
    if (taken.length > 0) {
      options.onSelectedTaken(taken);
      changed();
    }
  }

  function repaintAll(): void {
    for (const section of layout.sections) paintCount(section);
    open?.repaint();
  }

  return {
    element: h("div", { class: "seat-map stadium-map", "data-seats": layout.seatCount }, seatLegend(), sectionList, seatsBox),
    applyAvailability(update) {
      if (update.kind === "snapshot") {
        if (update.layoutVersion !== layout.version) {
          layoutChanged = true;
          if (!locked) options.onLayoutChanged();
          return;
        }
        bits = update.bits.slice();
      } else {
        for (const { position, status } of update.changes) setSeatStatus(bits, position, status);
      }
      dropTaken();
      repaintAll();
    },
    applyStatuses(changes) {
      for (const { ticketId, status } of changes) {
        const position = positionOf.get(ticketId);
        if (position !== undefined) setSeatStatus(bits, position, status);
      }
      dropTaken();
      repaintAll();
    },
    selected: () => [...selection.values()],
    clearSelection() {
      selection.clear();
      repaintAll();
      changed();
    },
    setMine(ticketIds) {
      mine = new Set(ticketIds);
      for (const id of mine) selection.delete(id);
      repaintAll();
      changed();
    },
    setLocked(next) {
      locked = next;
      // Out of the order panel's own call: redrawing disposes the panel.
      if (!locked && layoutChanged) return void setTimeout(options.onLayoutChanged, 0);
      open?.repaint();
    },
    ticket: (ticketId) => selection.get(ticketId),
    sectionName: (code) => names.get(code) ?? code,
  };
}

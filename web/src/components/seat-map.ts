import type { Section, Ticket } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { TicketStatus } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { announce, h } from "../dom.js";
import { seatLabel } from "../format/labels.js";
import { formatMoney } from "../format/money.js";
import { LOOK_WORDS, seatLegend, seatLook, type SeatLook } from "./seat-legend.js";


/** Sections up to this many seats are drawn open; bigger venues open a section at a time. */
const OPEN_SEATS_LIMIT = 600;

export interface SeatMap {
  element: HTMLElement;
  /** Live statuses from the watch stream or a refresh; a snapshot replaces every status. */
  applyStatuses(changes: ReadonlyArray<{ ticketId: string; status: TicketStatus }>, snapshot: boolean): void;
  selected(): Ticket[];
  clearSelection(): void;
  /** The buyer's own hold: shown as theirs, not as taken. Empty when they hold nothing. */
  setMine(ticketIds: readonly string[]): void;
  /** Stops the buyer from changing the selection while an order is under way. */
  setLocked(locked: boolean): void;
  ticket(ticketId: string): Ticket | undefined;
  sectionName(code: string): string;
}

interface SectionView {
  element: HTMLElement;
  tickets: Ticket[];
  count: HTMLElement;
  render(): void;
  quantity?: HTMLInputElement;
}

/**
 * The venue's layout drawn from its seat map: seated sections as rows of seat buttons, general
 * admission as a count to choose. Each seat button names its place, price and state, so the map
 * is usable without seeing the colours.
 */
export function createSeatMap(options: {
  sections: readonly Section[];
  tickets: readonly Ticket[];
  maxSelection: number;
  onSelectionChange(selected: Ticket[]): void;
  /** Told when someone else took seats this buyer had selected. */
  onSelectedTaken(tickets: Ticket[]): void;
}): SeatMap {
  const tickets = new Map(options.tickets.map((ticket) => [ticket.id, ticket]));
  const statuses = new Map(options.tickets.map((ticket) => [ticket.id, ticket.status]));
  const selection = new Set<string>();
  let mine = new Set<string>();
  let locked = false;
  const buttons = new Map<string, HTMLButtonElement>();
  const sectionOf = new Map<string, SectionView>();
  const names = new Map(options.sections.map((section) => [section.code, section.name || section.code]));

  const lookOf = (ticketId: string): SeatLook => seatLook(mine.has(ticketId), selection.has(ticketId), statuses.get(ticketId));

  function paintSeat(ticketId: string): void {
    const button = buttons.get(ticketId);
    const ticket = tickets.get(ticketId);
    if (!button || !ticket) return;
    const look = lookOf(ticketId);
    button.dataset.status = look;
    button.disabled = locked || look === "reserved" || look === "booked" || look === "mine";
    button.setAttribute("aria-pressed", String(look === "selected"));
    button.setAttribute("aria-label", `${seatLabel(ticket, names.get(ticket.section))}, ${formatMoney(ticket.price)}, ${LOOK_WORDS[look]}`);
  }

  function paintCount(view: SectionView): void {
    const available = view.tickets.filter((ticket) => lookOf(ticket.id) === "available" || lookOf(ticket.id) === "selected").length;
    view.count.textContent = `${available} of ${view.tickets.length} available`;
    if (view.quantity) view.quantity.max = String(Math.min(available, options.maxSelection));
  }

  function changed(): void {
    options.onSelectionChange([...selection].map((id) => tickets.get(id)!).filter(Boolean));
  }

  function toggle(ticketId: string): void {
    if (locked) return;
    if (selection.has(ticketId)) selection.delete(ticketId);
    else if (lookOf(ticketId) === "available") {
      if (selection.size >= options.maxSelection) {
        announce(`You can buy at most ${options.maxSelection} tickets in one order.`);
        return;
      }
      selection.add(ticketId);
    }
    paintSeat(ticketId);
    const view = sectionOf.get(tickets.get(ticketId)?.section ?? "");
    if (view) paintCount(view);
    changed();
  }

  function seatedSection(section: Section, sectionTickets: Ticket[], count: HTMLElement): SectionView {
    const byRow = groupBy(sectionTickets, (ticket) => ticket.row);
    const rows = h("div", { class: "seat-rows" });
    let rendered = false;
    return {
      element: rows,
      tickets: sectionTickets,
      count,
      // Drawn on first opening: a stadium has tens of thousands of seats.
      render() {
        if (rendered) return;
        rendered = true;
        rows.append(
          ...section.rows.map((row) => {
            const seats = (byRow.get(row.label) ?? []).sort((a, b) => a.seat - b.seat);
            return h(
              "div",
              { class: "seat-row", role: "group", "aria-label": `Row ${row.label}` },
              h("span", { class: "row-label", "aria-hidden": "true" }, row.label),
              seats.map((ticket) => {
                const button = h("button", { type: "button", class: "seat", "data-ticket-id": ticket.id, onclick: () => toggle(ticket.id) }, String(ticket.seat));
                buttons.set(ticket.id, button);
                paintSeat(ticket.id);
                return button;
              }),
            );
          }),
        );
      },
    };
  }

  function standingSection(section: Section, sectionTickets: Ticket[], count: HTMLElement): SectionView {
    const id = `ga-${section.code}`;
    const quantity = h("input", { id, type: "number", min: 0, value: 0, inputmode: "numeric", class: "ga-quantity" });
    const chosenHere = () => sectionTickets.filter((ticket) => selection.has(ticket.id)).map((ticket) => ticket.id);
    // Follows the number as it is typed, so Reserve is right before the field loses focus. A
    // blur that changes nothing must not redraw the order panel: the click that caused the blur
    // would land on a button that is gone.
    const choose = (leaving: boolean) => {
      if (locked) return;
      const before = chosenHere().join();
      const wanted = Math.max(0, Math.min(Number(quantity.value) || 0, options.maxSelection));
      for (const ticket of sectionTickets) selection.delete(ticket.id);
      const free = sectionTickets.filter((ticket) => lookOf(ticket.id) === "available");
      const room = options.maxSelection - selection.size;
      for (const ticket of free.slice(0, Math.min(wanted, room))) selection.add(ticket.id);
      const chosen = chosenHere();
      // An emptied field stays empty while the buyer types the next number.
      if (leaving || Number(quantity.value) !== chosen.length) quantity.value = String(chosen.length);
      if (chosen.join() === before) return;
      paintCount(view);
      changed();
    };
    quantity.addEventListener("input", () => choose(false));
    quantity.addEventListener("change", () => choose(true));
    const view: SectionView = {
      element: h("div", { class: "ga-picker field" }, h("label", { for: id }, `Standing tickets in ${section.name || section.code}`), quantity),
      tickets: sectionTickets,
      count,
      quantity,
      render() {},
    };
    return view;
  }

  const byCode = groupBy(options.tickets, (ticket) => ticket.section);
  const totalSeats = options.tickets.length;

  const sectionElements = options.sections.map((section) => {
    const sectionTickets = byCode.get(section.code) ?? [];
    const count = h("span", { class: "section-count" });
    const seated = section.rows.length > 0;
    const view = seated ? seatedSection(section, sectionTickets, count) : standingSection(section, sectionTickets, count);
    sectionOf.set(section.code, view);
    paintCount(view);
    const price = sectionTickets[0] ? formatMoney(sectionTickets[0].price) : "";
    const details = h(
      "details",
      { class: "seat-section", "data-section": section.code },
      h("summary", {}, h("span", { class: "section-name" }, section.name || section.code), h("span", { class: "section-price" }, price), count),
      view.element,
    );
    details.addEventListener("toggle", () => details.open && view.render());
    if (totalSeats <= OPEN_SEATS_LIMIT || !seated) {
      details.open = true;
      view.render();
    }
    return details;
  });

  return {
    element: h("div", { class: "seat-map" }, seatLegend(), h("div", { class: "stage", "aria-hidden": "true" }, "Stage"), sectionElements),
    applyStatuses(changes, snapshot) {
      if (snapshot) for (const id of statuses.keys()) statuses.set(id, TicketStatus.AVAILABLE);
      const taken: Ticket[] = [];
      const touched = new Set<SectionView>();
      for (const { ticketId, status } of changes) {
        if (!tickets.has(ticketId)) continue;
        statuses.set(ticketId, status);
        // While an order is under way its own seats turn reserved before the answer arrives.
        if (!locked && selection.has(ticketId) && status !== TicketStatus.AVAILABLE) {
          selection.delete(ticketId);
          taken.push(tickets.get(ticketId)!);
        }
        if (!snapshot) {
          paintSeat(ticketId);
          const view = sectionOf.get(tickets.get(ticketId)!.section);
          if (view) touched.add(view);
        }
      }
      if (snapshot) {
        for (const id of buttons.keys()) paintSeat(id);
        for (const view of sectionOf.values()) touched.add(view);
      }
      for (const view of touched) paintCount(view);
      if (taken.length > 0) {
        options.onSelectedTaken(taken);
        changed();
      }
    },
    selected: () => [...selection].map((id) => tickets.get(id)!).filter(Boolean),
    clearSelection() {
      const ids = [...selection];
      selection.clear();
      for (const id of ids) paintSeat(id);
      for (const view of sectionOf.values()) {
        if (view.quantity) view.quantity.value = "0";
        paintCount(view);
      }
      changed();
    },
    setMine(ticketIds) {
      const before = mine;
      mine = new Set(ticketIds);
      for (const id of new Set([...before, ...mine])) {
        selection.delete(id);
        paintSeat(id);
      }
      for (const view of sectionOf.values()) paintCount(view);
      changed();
    },
    setLocked(next) {
      locked = next;
      for (const id of buttons.keys()) paintSeat(id);
      for (const view of sectionOf.values()) if (view.quantity) view.quantity.disabled = next;
    },
    ticket: (ticketId) => tickets.get(ticketId),
    sectionName: (code) => names.get(code) ?? code,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { HoldStatus, type Reservation } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import { TicketStatus, type Ticket } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { newIdempotencyKey } from "../api/idempotency-key.js";
import { problemOf, saleClosed, type Problem } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { announce, h } from "../dom.js";
import { seatLabel } from "../format/labels.js";
import { formatMoney, sumMoney } from "../format/money.js";
import type { SaleState } from "../format/sale-state.js";
import type { CheckoutConfig } from "../api/checkout-config.js";
import { createCardForm } from "./card-form.js";
import type { PaymentForm, PaymentInput } from "./payment-form.js";
import { createStripePaymentForm } from "./stripe-payment-form.js";
import { createCountdown, type Countdown } from "./countdown.js";
import type { SeatMap } from "./seat-map.js";

/** Seats being bought: held under a reservation, or (lock store down) bought directly. */
type Order = { kind: "held"; reservation: Reservation; tickets: Ticket[] } | { kind: "direct"; tickets: Ticket[]; message: string };

/** The longest delay setTimeout keeps (about 24.8 days); a sale opening later is not waited for on one page. */
const MAX_TIMER_MS = 2_147_483_647;

const DECLINE_MESSAGES: Record<string, string> = {
  card_declined: "Your card was declined. Your seats are still held: try another card.",
  insufficient_funds: "Your card has insufficient funds. Your seats are still held: try another card.",
};

export interface OrderPanel {
  element: HTMLElement;
  selectionChanged(selected: Ticket[]): void;
  /** Someone else took seats this buyer had selected. */
  selectedTaken(tickets: Ticket[]): void;
  dispose(): void;
}

/** A refusal because the queue's admission was missing, ran out, or was not this buyer's for this event. */
const admissionRefused = (problem: Problem) => problem.code === Code.PermissionDenied && (problem.reason ?? "").startsWith("admission_");

const admissionLostMessage = (problem: Problem) =>
  // Missing: this tab's copy ran out (it is dropped at its expiry) or was never kept.
  problem.reason === "admission_expired" || problem.reason === "admission_missing"
    ? "Your turn to buy ran out before the order was finished, so you are back in the queue. You have not been charged."
    : "Your turn to buy could not be used (it may belong to another sign-in), so you are back in the queue. You have not been charged.";

/**
 * The buying side of the event page: the selection and its total, Reserve, then a countdown to
 * the hold's expiry with the card form, and what went wrong in words the buyer can act on.
 * While the event does not sell (cancelled, not on sale yet, started) it says why and offers
 * no Reserve; it opens by itself when sales start with the page open. A high-demand event's
 * reserve and confirm carry the queue's admission; when booking refuses it, `onAdmissionLost`
 * takes the buyer back to the queue with the reason.
 */
export function createOrderPanel(
  app: AppContext,
  eventId: string,
  seatMap: SeatMap,
  saleAt: (now: Date) => SaleState,
  onAdmissionLost?: (message: string) => void,
  /** The event's purchase limit per account (Event.purchase_limit), shown before the buyer signs in. */
  purchaseLimit?: number,
): OrderPanel {
  const notice = h("div", { class: "order-notice", role: "alert" });
  const body = h("div", { class: "order-body" });
  const limitLine = h("p", { class: "purchase-limit muted", role: "status", "aria-live": "polite" });
  const element = h("aside", { class: "order-panel", "aria-labelledby": "order-heading" }, h("h2", { id: "order-heading" }, "Your order"), limitLine, notice, body);
  /** What is left of the buyer's limit for this event, once read (signed in). */
  let allowance: { limit: number; held: number; bought: number; remaining: number } | undefined;
  let disposed = false;
  let order: Order | undefined;
  let countdown: Countdown | undefined;
  let paymentKey = newIdempotencyKey();
  let busy = false;
  let checkoutForm: PaymentForm | undefined;
  /** Why nothing is sold now; undefined while the event is on sale. */
  let closed: string | undefined;
  let saleTimer: ReturnType<typeof setTimeout> | undefined;

  const describe = (ticket: Ticket) => seatLabel(ticket, seatMap.sectionName(ticket.section));
  const seatList = (tickets: readonly Ticket[]) =>
    h("ul", { class: "order-seats" }, tickets.map((ticket) => h("li", {}, h("span", {}, describe(ticket)), h("span", {}, formatMoney(ticket.price)))));
  const total = (tickets: readonly Ticket[]) => formatMoney(sumMoney(tickets.map((ticket) => ticket.price)));
  // Only high-demand events have one; others send none, as before.
  const admission = () => {
    const token = app.admissions.get(eventId)?.token;
    return token ? { admissionToken: token } : {};
  };
  function admissionLost(problem: Problem): boolean {
    if (!admissionRefused(problem) || !onAdmissionLost) return false;
    app.admissions.forget(eventId);
    onAdmissionLost(admissionLostMessage(problem));
    return true;
  }

  function say(message: string, tone: "error" | "info" = "error"): void {
    notice.className = `order-notice notice notice-${tone}`;
    notice.textContent = message;
  }
  function quiet(): void {
    notice.className = "order-notice";
    notice.textContent = "";
  }

  /** The limit in words: "Limit 8 tickets per account for this event: you can add 5 more (you hold 1 and have bought 2)." */
  function showLimit(): void {
    const limit = allowance?.limit ?? purchaseLimit;
    if (!limit) return void (limitLine.textContent = "");
    const head = `Limit ${limit} ticket${limit === 1 ? "" : "s"} per account for this event`;
    if (!allowance) return void (limitLine.textContent = `${head}.`);
    const mine = allowance.held + allowance.bought > 0 ? ` (you hold ${allowance.held} and have bought ${allowance.bought})` : "";
    limitLine.textContent = allowance.remaining > 0 ? `${head}: you can add ${allowance.remaining} more${mine}.` : `${head}: you have reached it${mine}.`;
  }

  /** Reads the buyer's allowance again (after a reserve, a release, a refusal); signed-out buyers see the limit alone. */
  async function refreshAllowance(): Promise<void> {
    if (!app.session.current()) return showLimit();
    try {
      const answer = await app.api.booking.getPurchaseAllowance({ eventId });
      if (disposed) return;
      allowance = { limit: answer.purchaseLimit, held: answer.held, bought: answer.bought, remaining: answer.remaining };
    } catch {
      // Not knowing the allowance only costs the hint: reserve still says it when it refuses.
    }
    showLimit();
    if (!order && !busy) showChoosing(seatMap.selected());
  }

  /** Beyond what the buyer can still add: Reserve stays off, and the sentence says why. */
  const overAllowance = (selected: readonly Ticket[]) => (allowance !== undefined && selected.length > allowance.remaining ? allowance.remaining : undefined);

  function showChoosing(selected: Ticket[]): void {
    const room = overAllowance(selected);
    const reserve = h(
      "button",
      { type: "button", class: "button primary", disabled: selected.length === 0 || busy || closed !== undefined || room !== undefined, onclick: () => void reserveSelected() },
      busy ? "Reserving…" : selected.length > 0 ? `Reserve ${selected.length} seat${selected.length === 1 ? "" : "s"}` : "Reserve seats",
    );
    const hint = closed !== undefined ? h("p", { class: "notice notice-info sale-closed", role: "status" }, closed) : h("p", { class: "muted" }, "Choose seats on the map.");
    const tooMany =
      room === undefined
        ? ""
        : h(
            "p",
            { class: "notice notice-info over-limit", role: "status" },
            room === 0
              ? "You have reached this event's limit per account: release a reservation to choose other seats."
              : `You can add ${room} more ticket${room === 1 ? "" : "s"} for this event: deselect ${selected.length - room}.`,
          );
    body.replaceChildren(
      selected.length > 0 ? seatList(selected) : hint,
      selected.length > 0 ? h("p", { class: "order-total" }, "Total ", h("strong", {}, total(selected))) : "",
      tooMany,
      reserve,
    );
  }

  /** Our test-card form for the simulator; Stripe's Payment Element in Stripe mode (the edge says which). */
  function paymentForm(current: Order, checkout: CheckoutConfig): PaymentForm {
    const label = `Pay ${total(current.tickets)}`;
    const onPay = (payment: PaymentInput) => void pay(current, payment, form);
    const prices = current.tickets.map((ticket) => ticket.price);
    const form: PaymentForm =
      checkout.provider === "stripe"
        ? createStripePaymentForm(
            { publishableKey: checkout.publishableKey, amountMinor: prices.reduce((sum, price) => sum + Number(price?.amountMinor ?? 0n), 0), currency: prices[0]?.currency ?? "USD" },
            label,
            onPay,
          )
        : createCardForm(label, onPay);
    return form;
  }

  function showCheckout(current: Order, checkout: CheckoutConfig): void {
    countdown?.stop();
    countdown = undefined;
    checkoutForm?.dispose?.();
    const form = (checkoutForm = paymentForm(current, checkout));
    const cancel = h("button", { type: "button", class: "button", onclick: () => void giveBack() }, current.kind === "held" ? "Release seats" : "Cancel");
    if (current.kind === "held" && current.reservation.expiresAt) {
      countdown = createCountdown(timestampDate(current.reservation.expiresAt), expired);
    } else if (current.kind === "direct") {
      say(current.message, "info");
    }
    body.replaceChildren(
      countdown?.element ?? "",
      seatList(current.tickets),
      h("p", { class: "order-total" }, "Total ", h("strong", {}, total(current.tickets))),
      h("h3", {}, "Pay by card"),
      form.element,
      cancel,
    );
  }

  /** Follows the sale window: closes or opens the panel, and wakes up when it next changes. */
  function followSale(): void {
    clearTimeout(saleTimer);
    const state = saleAt(new Date());
    const wait = state.changesAt ? state.changesAt.getTime() - Date.now() : undefined;
    if (wait !== undefined && wait > 0 && wait <= MAX_TIMER_MS) saleTimer = setTimeout(followSale, wait);
    closed = state.open ? undefined : state.message;
    if (order || busy) return;
    if (closed !== undefined) seatMap.clearSelection();
    seatMap.setLocked(closed !== undefined);
    showChoosing(seatMap.selected());
  }

  /** The service says the event does not sell now (it knows better than this page's clock). */
  function closeSale(message: string): void {
    closed = message;
    backToChoosing();
  }

  async function reserveSelected(): Promise<void> {
    const tickets = seatMap.selected();
    if (tickets.length === 0 || busy || closed !== undefined) return;
    if (!app.session.current() && !(await app.requireSignIn("Sign in to reserve seats."))) return;
    quiet();
    busy = true;
    seatMap.setLocked(true);
    showChoosing(tickets);
    try {
      const { reservation } = await app.api.booking.reserveTickets({ eventId, ticketIds: tickets.map((ticket) => ticket.id), ...admission() });
      if (!reservation) throw new Error("the reservation is missing from the answer");
      order =
        reservation.holdStatus === HoldStatus.DEGRADED_NO_HOLD
          ? { kind: "direct", tickets, message: reservation.message }
          : { kind: "held", reservation, tickets };
      paymentKey = newIdempotencyKey();
      seatMap.setMine(tickets.map((ticket) => ticket.id));
      announce(order.kind === "held" ? `${tickets.length} seats held for you. Pay before the timer runs out.` : reservation.message);
      showCheckout(order, await app.checkout().catch((): CheckoutConfig => ({ provider: "simulated" })));
    } catch (error) {
      seatMap.setLocked(false);
      const problem = problemOf(error);
      if (admissionLost(problem)) return;
      if (saleClosed(problem)) {
        closed = problem.message;
        seatMap.clearSelection();
        seatMap.setLocked(true);
      } else if (problem.reason === "held" || problem.reason === "sold") {
        // Mark them as the server sees them; the map then drops them from the selection.
        seatMap.applyStatuses(
          problem.ticketIds.map((ticketId) => ({ ticketId, status: problem.reason === "sold" ? TicketStatus.BOOKED : TicketStatus.RESERVED })),
          false,
        );
      } else {
        // A refusal by the purchase limit says what the buyer holds, has bought and can add.
        say(problem.code === Code.Unauthenticated ? "Please sign in again, then reserve." : problem.message);
      }
    } finally {
      busy = false;
      if (!order) showChoosing(seatMap.selected());
      void refreshAllowance();
    }
  }

  async function pay(current: Order, payment: PaymentInput, form: PaymentForm): Promise<void> {
    if (busy) return;
    busy = true;
    quiet();
    form.clearErrors();
    form.setBusy(true);
    try {
      const ticketIds = current.tickets.map((ticket) => ticket.id);
      // The seats travel with the reservation: if the lock store lost its quorum since the
      // reserve, the booking service cannot read the reservation and buys these seats directly
      // (the database still decides who wins) instead of sending the buyer back to start.
      const { booking } = await app.api.booking.confirmBooking({
        ...(current.kind === "held" ? { reservationId: current.reservation.id } : {}),
        eventId,
        ticketIds,
        paymentDetails: payment,
        idempotencyKey: paymentKey,
        ...admission(),
      });
      countdown?.stop();
      order = undefined;
      checkoutForm?.dispose?.();
      checkoutForm = undefined;
      announce("Booking confirmed.");
      app.navigator.navigate(`/my-bookings/${encodeURIComponent(booking?.id ?? "")}?confirmed=1`);
    } catch (error) {
      const problem = problemOf(error);
      // A retry of the same payment must reuse its key (the server then charges at most once);
      // after a definite answer the next attempt is a new payment.
      if (!problem.retryable) paymentKey = newIdempotencyKey();
      paymentFailed(problem, form);
    } finally {
      busy = false;
      form.setBusy(false);
    }
  }

  function paymentFailed(problem: Problem, form: PaymentForm): void {
    if (admissionLost(problem)) return;
    if (saleClosed(problem)) {
      closeSale(problem.message);
    } else if (problem.kind === "payment_declined") {
      say(DECLINE_MESSAGES[problem.reason ?? ""] ?? problem.message);
    } else if (problem.reason === "card_data_refused" || problem.reason === "payment_method_not_taken") {
      // The form and booking's provider disagree (a deployment whose edge and booking are configured apart).
      say("Payments are not set up correctly here, so this card cannot be taken. You have not been charged.");
    } else if (problem.field?.startsWith("paymentDetails.cardNumber") || problem.reason === "invalid_card") {
      form.showFieldError("cardNumber", "That card number is not valid. Check it, or use another card.");
    } else if (problem.code === Code.NotFound) {
      backToChoosing("Your hold expired and the seats were released. Choose seats again.");
    } else if (problem.reason === "seat_taken" || problem.reason === "held" || problem.reason === "sold") {
      backToChoosing("Sorry, another buyer got one of these seats first. You have not been charged. Choose other seats.");
    } else if (problem.reason === "purchase_limit") {
      say(problem.message);
      void refreshAllowance();
    } else {
      say(problem.retryable ? `${problem.message} Paying again is safe: you are charged at most once.` : problem.message);
    }
  }

  function backToChoosing(message?: string): void {
    countdown?.stop();
    countdown = undefined;
    checkoutForm?.dispose?.();
    checkoutForm = undefined;
    order = undefined;
    seatMap.setMine([]);
    seatMap.setLocked(closed !== undefined);
    seatMap.clearSelection();
    if (message) say(message);
    else quiet();
    showChoosing([]);
  }

  function expired(): void {
    backToChoosing("Your hold expired and the seats were released. Choose seats again.");
    announce("Your hold expired.");
  }

  async function giveBack(): Promise<void> {
    const current = order;
    if (busy) return;
    if (current?.kind === "held") {
      try {
        await app.api.booking.releaseReservation({ reservationId: current.reservation.id });
      } catch (error) {
        // Released or not, the hold ends by itself at its expiry.
        if (problemOf(error).code !== Code.NotFound) console.warn("release failed", error);
      }
    }
    backToChoosing();
    announce("Seats released.");
    void refreshAllowance();
  }

  followSale();
  showLimit();
  void refreshAllowance();
  return {
    element,
    selectionChanged(selected) {
      if (!order && !busy) showChoosing(selected);
    },
    selectedTaken(tickets) {
      say(`Sorry, ${tickets.map(describe).join("; ")} ${tickets.length === 1 ? "was" : "were"} just taken by another buyer. Choose other seats.`);
    },
    dispose() {
      disposed = true;
      countdown?.stop();
      checkoutForm?.dispose?.();
      clearTimeout(saleTimer);
      // Leaving the page gives the seats back rather than blocking them until the hold expires.
      if (order?.kind === "held") void app.api.booking.releaseReservation({ reservationId: order.reservation.id }).catch(() => undefined);
    },
  };
}

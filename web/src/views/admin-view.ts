import { problemOf } from "../api/problem.js";
import type { AppContext } from "../app-context.js";
import { announce, h } from "../dom.js";
import type { View } from "../router.js";
import { isAdmin } from "../session/session.js";

const ID_PATTERN = "[0-9a-fA-F-]{36}";

/**
 * The organiser's tools (role admin): refund one booking (its seats go back on sale) and cancel
 * an event (sales stop, every booking is refunded once; sending it again finishes refunds an
 * interruption left). Both call booking's admin RPCs, which check the role again; the buyers
 * read the outcome under My bookings. `?bookingId=` or `?eventId=` fills a form in.
 */
export function adminView(app: AppContext, url: URL): View {
  const body = h("div", { class: "admin-tools" });

  function render(): void {
    if (!isAdmin(app.session.current())) {
      body.replaceChildren(
        h("p", {}, "Sign in as an organiser (the admin role) to refund bookings and cancel events."),
        h("button", { type: "button", class: "button primary", onclick: () => void app.requireSignIn("Sign in as an organiser: tick Organiser.").then(render) }, "Sign in"),
      );
      return;
    }
    body.replaceChildren(refundForm(), cancelForm());
  }

  function outcomeLine(id: string) {
    return h("p", { id, class: "admin-outcome", role: "status", "aria-live": "polite" });
  }

  function show(line: HTMLElement, tone: "success" | "error", message: string): void {
    line.className = `admin-outcome notice notice-${tone}`;
    line.textContent = message;
    announce(message);
  }

  function refundForm(): HTMLElement {
    const input = h("input", { id: "refund-booking-id", name: "bookingId", required: true, pattern: ID_PATTERN, value: url.searchParams.get("bookingId") ?? "", autocomplete: "off", spellcheck: false });
    const submit = h("button", { type: "submit", class: "button primary" }, "Refund booking");
    const outcome = outcomeLine("refund-outcome");
    return h(
      "form",
      {
        class: "admin-form",
        "aria-labelledby": "refund-heading",
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          submit.disabled = true;
          try {
            const answer = await app.api.booking.refundBooking({ bookingId: input.value.trim() });
            show(outcome, "success", answer.message || `Booking ${input.value.trim()} is cancelled and refunded; its seats are back on sale.`);
          } catch (error) {
            show(outcome, "error", problemOf(error).message);
          } finally {
            submit.disabled = false;
          }
        },
      },
      h("h2", { id: "refund-heading" }, "Refund a booking"),
      h("p", { class: "muted" }, "The buyer's payment is refunded once and the seats go back on sale."),
      h("div", { class: "field" }, h("label", { for: "refund-booking-id" }, "Booking id"), input),
      submit,
      outcome,
    );
  }

  function cancelForm(): HTMLElement {
    const input = h("input", { id: "cancel-event-id", name: "eventId", required: true, pattern: ID_PATTERN, value: url.searchParams.get("eventId") ?? "", autocomplete: "off", spellcheck: false });
    const understood = h("input", { id: "cancel-understood", type: "checkbox", required: true });
    const submit = h("button", { type: "submit", class: "button danger" }, "Cancel event");
    const outcome = outcomeLine("cancel-outcome");
    return h(
      "form",
      {
        class: "admin-form",
        "aria-labelledby": "cancel-heading",
        onsubmit: async (event: SubmitEvent) => {
          event.preventDefault();
          submit.disabled = true;
          try {
            const answer = await app.api.booking.cancelEvent({ eventId: input.value.trim() });
            show(outcome, "success", answer.message);
          } catch (error) {
            show(outcome, "error", problemOf(error).message);
          } finally {
            submit.disabled = false;
          }
        },
      },
      h("h2", { id: "cancel-heading" }, "Cancel an event"),
      h("p", { class: "muted" }, "Sales stop for good and every booking is refunded. If refunds were interrupted, cancelling again finishes them."),
      h("div", { class: "field" }, h("label", { for: "cancel-event-id" }, "Event id"), input),
      h("div", { class: "field field-check" }, understood, h("label", { for: "cancel-understood" }, "I understand: this cannot be undone, and every buyer is refunded.")),
      submit,
      outcome,
    );
  }

  app.session.onChange(render);
  render();
  return { title: "Organiser", element: h("section", { class: "page" }, h("h1", {}, "Organiser"), body) };
}

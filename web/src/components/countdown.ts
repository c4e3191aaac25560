import { announce, h } from "../dom.js";
import { formatRemaining } from "../format/dates.js";

export interface Countdown {
  element: HTMLElement;
  stop(): void;
}

/**
 * Time left on a hold, ticking each second. The timer itself is not announced every second;
 * screen-reader users hear it once when a minute is left.
 */
export function createCountdown(expiresAt: Date, onExpired: () => void): Countdown {
  const time = h("span", { class: "countdown-time", role: "timer", "aria-atomic": "true" });
  const element = h("p", { class: "countdown" }, "Seats held for you for ", time);
  let warned = false;
  const tick = () => {
    const left = expiresAt.getTime() - Date.now();
    time.textContent = formatRemaining(left);
    element.classList.toggle("countdown-urgent", left <= 60_000);
    if (!warned && left <= 60_000 && left > 0) {
      warned = true;
      announce("One minute left to pay before your seats are released.");
    }
    if (left <= 0) {
      window.clearInterval(timer);
      onExpired();
    }
  };
  const timer = window.setInterval(tick, 1_000);
  tick();
  return { element, stop: () => window.clearInterval(timer) };
}

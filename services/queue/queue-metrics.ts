import { Counter, Gauge, type Registry } from "prom-client";

/** How long each line is and how many it let in: the waiting room's two numbers on a dashboard. */
export function queueMetrics(registry: Registry) {
  const waiting = new Gauge({
    name: "boxoffice_queue_waiting",
    help: "Buyers waiting in an event's queue, as of the admission worker's last step.",
    labelNames: ["event_id"],
    registers: [registry],
  });
  const admitted = new Counter({
    name: "boxoffice_queue_admitted_total",
    help: "Buyers admitted from an event's queue.",
    labelNames: ["event_id"],
    registers: [registry],
  });
  const soldOut = new Gauge({
    name: "boxoffice_queue_sold_out",
    help: "1 while an event's queue admits nobody because every ticket is sold.",
    labelNames: ["event_id"],
    registers: [registry],
  });
  return (eventId: string, step: { admitted: number; waiting: number; soldOut: boolean }) => {
    waiting.set({ event_id: eventId }, step.waiting);
    if (step.admitted > 0) admitted.inc({ event_id: eventId }, step.admitted);
    soldOut.set({ event_id: eventId }, step.soldOut ? 1 : 0);
  };
}

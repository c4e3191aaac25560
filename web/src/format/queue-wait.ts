/** An estimated wait in words: an estimate read to the second would promise a precision it lacks. */
export function formatQueueWait(seconds: number): string {
  if (seconds < 60) return "less than a minute";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${hours} hour${hours === 1 ? "" : "s"}${rest > 0 ? ` ${rest} minute${rest === 1 ? "" : "s"}` : ""}`;
}

/**
 * How far along the line the buyer has come since they first saw their place, 0–100. It never
 * shows 0 while waiting (being in line is already a step) and reaches 100 only on admission.
 */
export function queueProgress(firstPosition: number, position: number): number {
  const start = Math.max(firstPosition, position, 1);
  return Math.round((100 * (start - position + 1)) / (start + 1));
}

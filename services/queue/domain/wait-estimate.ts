/**
 * Time until a buyer at `position` (1 is next) is admitted, at the rate admission was measured
 * to run over the last minute, or at the configured rate before anything has been measured.
 * Before the on-sale the wait starts when sales open. Null when no estimate holds: paused.
 */
export function estimateWaitMs(input: {
  position: number;
  admittedLastMinute: number;
  configuredPerMinute: number;
  paused: boolean;
  nowMs: number;
  onSaleAtMs: number | null;
}): number | null {
  if (input.paused) return null;
  const perMinute = input.admittedLastMinute > 0 ? input.admittedLastMinute : input.configuredPerMinute;
  if (perMinute <= 0) return null;
  const untilOnSale = input.onSaleAtMs !== null && input.onSaleAtMs > input.nowMs ? input.onSaleAtMs - input.nowMs : 0;
  return untilOnSale + Math.ceil((input.position * 60_000) / perMinute);
}

import type { Money } from "../../../gen/boxoffice/common/v1/money_pb.js";

/** Minor units (int64, a bigint on the wire) as the buyer's locale writes that currency. */
export function formatMoney(money: Pick<Money, "amountMinor" | "currency"> | undefined): string {
  if (!money || !money.currency) return "";
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency: money.currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(Number(money.amountMinor) / 10 ** digits);
}

export function sumMoney(prices: ReadonlyArray<Money | undefined>): Pick<Money, "amountMinor" | "currency"> | undefined {
  const first = prices.find((price) => price?.currency);
  if (!first) return undefined;
  return { currency: first.currency, amountMinor: prices.reduce((sum, price) => sum + (price?.amountMinor ?? 0n), 0n) };
}

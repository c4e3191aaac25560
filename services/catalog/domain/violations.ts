import { invalid } from "../../shared/errors/domain-error.js";

export interface Violation {
  /** The request field at fault, in proto path form, e.g. "event.price_tiers[2].section". */
  field: string;
  message: string;
}

/**
 * Collects every broken rule of one admin request, so a form can show them all at once rather
 * than one per round trip. The error names the first; details list them all.
 */
export class Violations {
  private readonly found: Violation[] = [];

  add(field: string, message: string): void {
    this.found.push({ field, message });
  }

  check(ok: boolean, field: string, message: string): void {
    if (!ok) this.add(field, message);
  }

  throwIfAny(): void {
    const [first] = this.found;
    if (!first) return;
    const more = this.found.length - 1;
    throw invalid(`${first.field}: ${first.message}${more > 0 ? ` (and ${more} more)` : ""}`, {
      field: first.field,
      violations: this.found,
    });
  }
}

export const isBlank = (value: string) => value.trim().length === 0;

/**
 * The most a details header may take. grpc-js drops the whole connection (every call on it, the
 * health checks too) when a response's metadata is over its 8 KiB limit, and the edge relays
 * the header to browsers, whose servers cap all headers at 16 KiB.
 */
export const MAX_DETAILS_HEADER_LENGTH = 4_096;

/** JSON with every character outside printable ASCII escaped (\uXXXX), which JSON.parse reads back unchanged. */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * Error details as a header value. Details quote what the caller sent, and a header takes no
 * more than printable ASCII (grpc-js throws on anything else, out of the call, ending the
 * process; fetch's Headers refuses past Latin-1), nor much of it: a long list of violations
 * keeps its first ones and says how many it left out.
 */
export function detailsHeaderValue(details: Record<string, unknown>): string {
  const whole = asciiJson(details);
  if (whole.length <= MAX_DETAILS_HEADER_LENGTH) return whole;
  const violations = Array.isArray(details.violations) ? (details.violations as unknown[]) : [];
  for (let kept = violations.length - 1; kept >= 0; kept = kept > 8 ? Math.floor(kept / 2) : kept - 1) {
    const shortened = asciiJson({ ...details, violations: violations.slice(0, kept), omittedViolations: violations.length - kept });
    if (shortened.length <= MAX_DETAILS_HEADER_LENGTH) return shortened;
  }
  const { kind, field } = details;
  return asciiJson({ kind, field, truncated: true }).slice(0, MAX_DETAILS_HEADER_LENGTH);
}

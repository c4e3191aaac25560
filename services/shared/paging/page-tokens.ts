import { createHmac, timingSafeEqual } from "node:crypto";
import { invalid } from "../errors/domain-error.js";

/** The secret of a process that was given none: fine on a laptop, refused nowhere, known to all. */
export const DEV_PAGE_TOKEN_SECRET = "boxoffice-dev-page-token-secret-not-for-production";

/**
 * Page tokens a service can tell are its own: the cursor, then an HMAC of it under the service's
 * secret and the listing's name. A token made by hand, cut short or taken from another listing is
 * refused (INVALID_ARGUMENT) before its cursor reaches a query, so a cursor is only ever one this
 * code wrote. Every replica shares the secret, so a token from one is good on the next.
 */
export interface PageTokens {
  seal(cursor: string): string;
  /** The cursor sealed in the token; throws `invalid` naming page_token otherwise. */
  open(token: string): string;
}

// 128 bits: forging stays out of reach and tokens stay short enough for a URL.
const MAC_BYTES = 16;

export function createPageTokens(secret: string, listing: string): PageTokens {
  const mac = (cursor: string) => createHmac("sha256", secret).update(listing).update("\0").update(cursor).digest().subarray(0, MAC_BYTES);
  return {
    seal: (cursor) => `${Buffer.from(cursor).toString("base64url")}.${mac(cursor).toString("base64url")}`,
    open(token) {
      const [body, tag, extra] = token.split(".");
      if (body && tag && extra === undefined) {
        const cursor = Buffer.from(body, "base64url").toString("utf8");
        const given = Buffer.from(tag, "base64url");
        if (given.length === MAC_BYTES && timingSafeEqual(given, mac(cursor))) return cursor;
      }
      throw invalid("page_token is not one this service issued; start again without it", { field: "page_token" });
    },
  };
}

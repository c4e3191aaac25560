import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BookingService } from "../../../gen/boxoffice/booking/v1/booking_pb.js";
import { CatalogService } from "../../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { QueueService } from "../../../gen/boxoffice/queue/v1/queue_pb.js";
import { SearchService } from "../../../gen/boxoffice/search/v1/search_pb.js";
import type { Session } from "../session/session.js";

export interface Api {
  catalog: Client<typeof CatalogService>;
  search: Client<typeof SearchService>;
  booking: Client<typeof BookingService>;
  queue: Client<typeof QueueService>;
}

/** The services that act for the signed-in buyer; the catalog and search stay anonymous. */
const SIGNED_IN_SERVICES = new Set([BookingService.typeName, QueueService.typeName]);

/**
 * Connect clients on the edge that served the page. Reads go as HTTP GET (cacheable); only
 * booking and queue calls carry the token, so search and event pages stay cacheable and anonymous. A
 * token the edge refuses signs the browser out, so the next step asks for a new sign-in.
 */
export function createApi(session: Session): Api {
  const bearer: Interceptor = (next) => async (request) => {
    const signedIn = session.current();
    if (SIGNED_IN_SERVICES.has(request.service.typeName) && signedIn) {
      request.header.set("authorization", `Bearer ${signedIn.token}`);
    }
    try {
      return await next(request);
    } catch (error) {
      if (signedIn && ConnectError.from(error).code === Code.Unauthenticated) session.signOut();
      throw error;
    }
  };
  const transport = createConnectTransport({
    baseUrl: location.origin,
    useBinaryFormat: true,
    useHttpGet: true,
    interceptors: [bearer],
  });
  return {
    catalog: createClient(CatalogService, transport),
    search: createClient(SearchService, transport),
    booking: createClient(BookingService, transport),
    queue: createClient(QueueService, transport),
  };
}

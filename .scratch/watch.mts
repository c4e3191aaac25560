import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { CatalogService } from "../gen/boxoffice/catalog/v1/catalog_pb.js";
const c = createClient(CatalogService, createConnectTransport({ baseUrl: "http://127.0.0.1:18080", httpVersion: "1.1" }));
const ac = new AbortController(); setTimeout(() => ac.abort(), 3000);
try { for await (const m of c.watchEventTickets({ eventId: "7ad134ac-6e36-5012-8050-8f644a896b2d" }, { signal: ac.signal })) console.log(m.snapshot, m.changes.length); } catch (e) { console.log("err", String(e)); }

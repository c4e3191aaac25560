import type { Redis } from "ioredis";

/**
 * The Lua scripts each lock node runs, one round trip per node per outcome. Every lock node is
 * an independent master (never a Redis Cluster), so a script may touch keys of any name.
 *
 * Besides the ticket keys, each script keeps two indexes of the holds: the event's
 * (`event-holds:{event}`, ticket id → "<expiry ms> <token>", for seat maps) and the buyer's in
 * that event (`user-holds:{event}:{user}`, ticket id → "<expiry ms> <token> <record key>", for
 * the purchase limit and to find the buyer's own reservation of a seat). Each hash lives as long
 * as its longest hold; readers skip entries whose expiry has passed.
 *
 * hold  KEYS: ticket:{id}…, event-holds:{event}, user-holds:{event}:{user}, [record key]
 *       ARGV: token, ttl ms, expiry ms, record value ("" for none), ticket id…
 *   Refuses when any ticket is held, answering {ticket id, holder token, …}; else sets every
 *   ticket key NX-style with the TTL, indexes each in both hashes, stores the record with the
 *   same TTL, and answers an empty list.
 * release  KEYS: ticket:{id}…, event-holds:{event}, user-holds:{event}:{user}, [record key]
 *          ARGV: token, ticket id…
 *   Compare-and-delete of each ticket still held under the token, its index entries with it,
 *   and the record.
 * claim  KEYS: ticket:{id}…, event-holds:{event}, user-holds:{event}:{user}, [record key]
 *        ARGV: holder prefix ("<base64url(user)>."), token, ttl ms, expiry ms, ticket id…
 *   Refuses when any ticket is held under another buyer's prefix, answering {ticket id, holder
 *   token, …} and changing nothing; else sets each free ticket under the token, extends every
 *   held one (and its index entries, and the record) to at least the TTL, and answers an empty list.
 * unlock  KEYS: lock key   ARGV: token
 *   Compare-and-delete of a mutex taken with SET NX PX (a Redlock lock: redis-ticket-holds.ts).
 */
/**
 * Both scripts first refuse, changing nothing, when a ticket is held by someone `foreign` (a Lua
 * condition on `holder`) says is not the caller: the answer is {ticket id, holder token, …}.
 */
const refuseForeignHolds = (foreign: string) => `
local taken = {}
for i = 1, n do
  local holder = redis.call("GET", KEYS[i])
  if holder and ${foreign} then
    taken[#taken + 1] = ARGV[4 + i]
    taken[#taken + 1] = holder
  end
end
if #taken > 0 then return taken end`;

/** Both index hashes live at least as long as the hold just written. */
const KEEP_INDEXES = `
for k = n + 1, n + 2 do
  if redis.call("PTTL", KEYS[k]) < ttl then redis.call("PEXPIRE", KEYS[k], ttl) end
end`;

export const HOLD_SCRIPT_SOURCE = `
local n = #ARGV - 4
${refuseForeignHolds("true")}
local ttl = tonumber(ARGV[2])
local entry = ARGV[3] .. " " .. ARGV[1]
local record = KEYS[n + 3] or ""
for i = 1, n do
  redis.call("SET", KEYS[i], ARGV[1], "PX", ttl)
  redis.call("HSET", KEYS[n + 1], ARGV[4 + i], entry)
  redis.call("HSET", KEYS[n + 2], ARGV[4 + i], entry .. " " .. record)
end
${KEEP_INDEXES}
if ARGV[4] ~= "" then redis.call("SET", KEYS[n + 3], ARGV[4], "PX", ttl) end
return {}
`;

const RELEASE = `
local n = #ARGV - 1
local token = ARGV[1]
for i = 1, n do
  if redis.call("GET", KEYS[i]) == token then
    redis.call("DEL", KEYS[i])
    local entry = redis.call("HGET", KEYS[n + 1], ARGV[1 + i])
    if entry and string.sub(entry, -#token) == token then redis.call("HDEL", KEYS[n + 1], ARGV[1 + i]) end
    local mine = redis.call("HGET", KEYS[n + 2], ARGV[1 + i])
    if mine and string.find(mine, " " .. token .. " ", 1, true) then redis.call("HDEL", KEYS[n + 2], ARGV[1 + i]) end
  end
end
if #KEYS > n + 2 then redis.call("DEL", KEYS[n + 3]) end
return 1
`;

// A seat's entry in the buyer's index keeps the record it had (their reservation), or takes the claim's.
const CLAIM = `
local n = #ARGV - 4
local prefix = ARGV[1]
${refuseForeignHolds("string.sub(holder, 1, #prefix) ~= prefix")}
local ttl = tonumber(ARGV[3])
local function index(ticket, holder)
  redis.call("HSET", KEYS[n + 1], ticket, ARGV[4] .. " " .. holder)
  local old = redis.call("HGET", KEYS[n + 2], ticket)
  local record = old and string.match(old, "^%S+ %S+ (%S+)$") or KEYS[n + 3] or ""
  redis.call("HSET", KEYS[n + 2], ticket, ARGV[4] .. " " .. holder .. " " .. record)
end
for i = 1, n do
  local holder = redis.call("GET", KEYS[i])
  if not holder then
    redis.call("SET", KEYS[i], ARGV[2], "PX", ttl)
    index(ARGV[4 + i], ARGV[2])
  elseif redis.call("PTTL", KEYS[i]) < ttl then
    redis.call("PEXPIRE", KEYS[i], ttl)
    index(ARGV[4 + i], holder)
  end
end
${KEEP_INDEXES}
if #KEYS > n + 2 then
  local left = redis.call("PTTL", KEYS[n + 3])
  if left >= 0 and left < ttl then redis.call("PEXPIRE", KEYS[n + 3], ttl) end
end
return {}
`;

const UNLOCK = `
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
`;

export interface HoldScripts {
  holdTickets(...keysAndArgs: Array<string | number>): Promise<string[]>;
  claimTickets(...keysAndArgs: Array<string | number>): Promise<string[]>;
  releaseTickets(...keysAndArgs: Array<string | number>): Promise<number>;
  unlockKey(...keysAndArgs: Array<string | number>): Promise<number>;
}

const defined = new WeakSet<Redis>();

/** The node with the scripts registered (ioredis sends EVALSHA, and the script once on NOSCRIPT). */
export function withHoldScripts(node: Redis): Redis & HoldScripts {
  if (!defined.has(node)) {
    node.defineCommand("holdTickets", { lua: HOLD_SCRIPT_SOURCE });
    node.defineCommand("releaseTickets", { lua: RELEASE });
    node.defineCommand("claimTickets", { lua: CLAIM });
    node.defineCommand("unlockKey", { numberOfKeys: 1, lua: UNLOCK });
    defined.add(node);
  }
  return node as Redis & HoldScripts;
}

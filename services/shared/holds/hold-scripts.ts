import type { Redis } from "ioredis";

/**
 * The Lua scripts each lock node runs, one round trip per node per outcome. Every lock node is
 * an independent master (never a Redis Cluster), so a script may touch keys of any name.
 *
 * hold  KEYS: ticket:{id}…, event-holds:{event}, [record key]
 *       ARGV: token, ttl ms, expiry ms, record value ("" for none), ticket id…
 *   Refuses when any ticket is held, answering {ticket id, holder token, …}; else sets every
 *   ticket key NX-style with the TTL, indexes each in the event's hash as "<expiry ms> <token>"
 *   (the hash lives as long as its longest hold), stores the record with the same TTL, and
 *   answers an empty list.
 * release  KEYS: ticket:{id}…, event-holds:{event}, [record key]   ARGV: token, ticket id…
 *   Compare-and-delete of each ticket still held under the token, its index entry with it,
 *   and the record.
 * claim  KEYS: ticket:{id}…, event-holds:{event}, [record key]
 *        ARGV: holder prefix ("<base64url(user)>."), token, ttl ms, expiry ms, ticket id…
 *   Refuses when any ticket is held under another buyer's prefix, answering {ticket id, holder
 *   token, …} and changing nothing; else sets each free ticket under the token, extends every
 *   held one (and its index entry, and the record) to at least the TTL, and answers an empty list.
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

export const HOLD_SCRIPT_SOURCE = `
local n = #ARGV - 4
${refuseForeignHolds("true")}
local ttl = tonumber(ARGV[2])
local entry = ARGV[3] .. " " .. ARGV[1]
for i = 1, n do
  redis.call("SET", KEYS[i], ARGV[1], "PX", ttl)
  redis.call("HSET", KEYS[n + 1], ARGV[4 + i], entry)
end
if redis.call("PTTL", KEYS[n + 1]) < ttl then redis.call("PEXPIRE", KEYS[n + 1], ttl) end
if ARGV[4] ~= "" then redis.call("SET", KEYS[n + 2], ARGV[4], "PX", ttl) end
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
  end
end
if #KEYS > n + 1 then redis.call("DEL", KEYS[n + 2]) end
return 1
`;

const CLAIM = `
local n = #ARGV - 4
local prefix = ARGV[1]
${refuseForeignHolds("string.sub(holder, 1, #prefix) ~= prefix")}
local ttl = tonumber(ARGV[3])
for i = 1, n do
  local holder = redis.call("GET", KEYS[i])
  if not holder then
    redis.call("SET", KEYS[i], ARGV[2], "PX", ttl)
    redis.call("HSET", KEYS[n + 1], ARGV[4 + i], ARGV[4] .. " " .. ARGV[2])
  elseif redis.call("PTTL", KEYS[i]) < ttl then
    redis.call("PEXPIRE", KEYS[i], ttl)
    redis.call("HSET", KEYS[n + 1], ARGV[4 + i], ARGV[4] .. " " .. holder)
  end
end
if redis.call("PTTL", KEYS[n + 1]) < ttl then redis.call("PEXPIRE", KEYS[n + 1], ttl) end
if #KEYS > n + 1 then
  local left = redis.call("PTTL", KEYS[n + 2])
  if left >= 0 and left < ttl then redis.call("PEXPIRE", KEYS[n + 2], ttl) end
end
return {}
`;

export interface HoldScripts {
  holdTickets(...keysAndArgs: Array<string | number>): Promise<string[]>;
  claimTickets(...keysAndArgs: Array<string | number>): Promise<string[]>;
  releaseTickets(...keysAndArgs: Array<string | number>): Promise<number>;
}

const defined = new WeakSet<Redis>();

/** The node with the scripts registered (ioredis sends EVALSHA, and the script once on NOSCRIPT). */
export function withHoldScripts(node: Redis): Redis & HoldScripts {
  if (!defined.has(node)) {
    node.defineCommand("holdTickets", { lua: HOLD_SCRIPT_SOURCE });
    node.defineCommand("releaseTickets", { lua: RELEASE });
    node.defineCommand("claimTickets", { lua: CLAIM });
    defined.add(node);
  }
  return node as Redis & HoldScripts;
}

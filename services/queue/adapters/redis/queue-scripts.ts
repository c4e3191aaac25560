/**
 * The queue's Lua scripts: each runs atomically on the queue's own Redis primary, so two joins
 * of one account (two tabs) or two workers' admissions can never interleave.
 *
 * Keys of one event share the hash tag {eventId}: queue:{e}:meta (hash), queue:{e}:waiting
 * (sorted set, member user id, score from placement.ts), queue:{e}:admitted (sorted set,
 * member user id, score the admission time in ms).
 *
 * open    KEYS: meta, index   ARGV: event id, rate, on-sale ms ("" for none), now ms
 * update  KEYS: meta          ARGV: field, value, …  (nil when the queue does not exist)
 * join    KEYS: meta, waiting, admitted   ARGV: user, score, now ms, admission ttl ms
 *   0: no queue; 1: kept the existing place; 2: placed at the score.
 * admit   KEYS: meta, waiting, admitted   ARGV: expected tokens, expected refilled-at ms, count,
 *         tokens, refilled-at ms, sold out (0/1), now ms
 *   nil when the bucket changed since it was read (another worker admitted first); else the
 *   admitted users, moved from the front of the line.
 */
export const OPEN_QUEUE = `
if redis.call("EXISTS", KEYS[1]) == 1 then
  redis.call("HSET", KEYS[1], "ratePerMinute", ARGV[2])
else
  redis.call("HSET", KEYS[1], "ratePerMinute", ARGV[2], "onSaleAtMs", ARGV[3], "paused", "0", "soldOut", "0", "tokens", "0", "refilledAtMs", ARGV[4])
end
redis.call("SADD", KEYS[2], ARGV[1])
return redis.call("HGETALL", KEYS[1])
`;

export const UPDATE_QUEUE = `
if redis.call("EXISTS", KEYS[1]) == 0 then return false end
redis.call("HSET", KEYS[1], unpack(ARGV))
return redis.call("HGETALL", KEYS[1])
`;

export const JOIN_QUEUE = `
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
if redis.call("ZSCORE", KEYS[2], ARGV[1]) then return 1 end
local admittedAt = redis.call("ZSCORE", KEYS[3], ARGV[1])
if admittedAt then
  if tonumber(admittedAt) + tonumber(ARGV[4]) > tonumber(ARGV[3]) then return 1 end
  redis.call("ZREM", KEYS[3], ARGV[1])
end
redis.call("ZADD", KEYS[2], ARGV[2], ARGV[1])
return 2
`;

export const ADMIT_FROM_QUEUE = `
local bucket = redis.call("HMGET", KEYS[1], "tokens", "refilledAtMs")
if bucket[1] ~= ARGV[1] or bucket[2] ~= ARGV[2] then return false end
local admitted = {}
local count = tonumber(ARGV[3])
if count > 0 then
  local front = redis.call("ZPOPMIN", KEYS[2], count)
  for i = 1, #front, 2 do
    redis.call("ZADD", KEYS[3], ARGV[7], front[i])
    admitted[#admitted + 1] = front[i]
  end
end
redis.call("HSET", KEYS[1], "tokens", ARGV[4], "refilledAtMs", ARGV[5], "soldOut", ARGV[6])
return admitted
`;

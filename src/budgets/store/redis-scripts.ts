/**
 * The Redis store's two Lua scripts. Each runs atomically on the server, so a check and a hold
 * (or a release and a charge) can never interleave with another process's.
 *
 * Layout, per budget (`base` = `<keyPrefix><budget name>:<window>`):
 * - `base:s:<bucket>`: spend in one of the window's 60 time buckets (a string float,
 *   INCRBYFLOAT), expiring one window + one bucket after its last write: the rolling window is
 *   the current bucket and the 59 before it, as in-process (`RollingSpend`);
 * - `base:h`: sorted set of open holds, scored by expiry (ms); `base:a`: hash hold id → amount.
 *   Expired holds (a process died mid-call) are dropped by the next reserve.
 * - `<keyPrefix>done:<op id>`: marks a settle/charge as applied, so a retried one is not
 *   charged twice.
 * Amounts travel as decimal strings (Lua would truncate numeric replies to integers).
 */

/**
 * ARGV: now_ms, amount, hold_id, expires_at_ms, hold_ttl_ms, n, then per budget: base, limit,
 * bucket_ms. Returns {1} when held, else {0, budget index (1-based), reason, spent, reserved}.
 */
export const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local amount = tonumber(ARGV[2])
local id = ARGV[3]
local expires = tonumber(ARGV[4])
local holdTtl = tonumber(ARGV[5])
local n = tonumber(ARGV[6])
local eps = 1e-9
for i = 1, n do
  local base = ARGV[6 + (i - 1) * 3 + 1]
  local limit = tonumber(ARGV[6 + (i - 1) * 3 + 2])
  local bucket = tonumber(ARGV[6 + (i - 1) * 3 + 3])
  local head = math.floor(now / bucket)
  local keys = {}
  for j = 0, 59 do keys[j + 1] = base .. ':s:' .. (head - j) end
  local spent = 0
  for _, v in ipairs(redis.call('MGET', unpack(keys))) do
    if v then spent = spent + tonumber(v) end
  end
  local holds = base .. ':h'
  local amounts = base .. ':a'
  local dead = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
  if #dead > 0 then
    redis.call('HDEL', amounts, unpack(dead))
    redis.call('ZREMRANGEBYSCORE', holds, '-inf', now)
  end
  local reserved = 0
  for _, v in ipairs(redis.call('HVALS', amounts)) do reserved = reserved + tonumber(v) end
  if spent > limit + eps then
    return {0, i, 'closed', string.format('%.17g', spent), string.format('%.17g', reserved)}
  end
  if spent + reserved + amount > limit + eps then
    return {0, i, 'limit', string.format('%.17g', spent), string.format('%.17g', reserved)}
  end
end
for i = 1, n do
  local base = ARGV[6 + (i - 1) * 3 + 1]
  redis.call('ZADD', base .. ':h', expires, id)
  redis.call('HSET', base .. ':a', id, ARGV[2])
  redis.call('PEXPIRE', base .. ':h', holdTtl)
  redis.call('PEXPIRE', base .. ':a', holdTtl)
end
return {1}
`;

/**
 * ARGV: now_ms, hold_id ('' for none), cost, op_id, done_ttl_ms, done_prefix, n, then per
 * budget: base, bucket_ms, window_ms. Drops the hold and adds the cost to the current bucket,
 * once per op id. Returns 1 when applied, 0 when the op was applied before.
 */
export const SETTLE_SCRIPT = `
local now = tonumber(ARGV[1])
local id = ARGV[2]
local cost = tonumber(ARGV[3])
local n = tonumber(ARGV[7])
if not redis.call('SET', ARGV[6] .. ARGV[4], '1', 'NX', 'PX', tonumber(ARGV[5])) then return 0 end
for i = 1, n do
  local base = ARGV[7 + (i - 1) * 3 + 1]
  local bucket = tonumber(ARGV[7 + (i - 1) * 3 + 2])
  local window = tonumber(ARGV[7 + (i - 1) * 3 + 3])
  if id ~= '' then
    redis.call('ZREM', base .. ':h', id)
    redis.call('HDEL', base .. ':a', id)
  end
  if cost > 0 then
    local head = math.floor(now / bucket)
    local key = base .. ':s:' .. head
    redis.call('INCRBYFLOAT', key, ARGV[3])
    redis.call('PEXPIRE', key, window + bucket)
  end
end
return 1
`;

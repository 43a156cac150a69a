-- Lease up to ARGV[4] permits from a vendor app's global budget: a token bucket (rate ARGV[1]/s,
-- burst ARGV[2]) and, when ARGV[5] > 0, a daily counter reset at ARGV[6] (epoch ms).
-- KEYS[1] bucket hash, KEYS[2] today's counter; ARGV[3] now (epoch ms); ARGV[7] when the bucket
-- runs dry, how many tokens are worth waiting for (the sends waiting, up to the replica's chunk).
-- Grants min(wanted, what the budget has left): never more than the daily quota in total.
-- Returns {granted, wait_ms, used}: granted = -1 when the daily quota is spent (wait_ms = until
-- reset); used = today's count after this lease (0 without a daily quota).
local rate, burst, now, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local daily, reset, batch = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]) or 1
local left = want
local used = 0
if daily > 0 then
  used = tonumber(redis.call('GET', KEYS[2]) or '0')
  if used >= daily then
    return {-1, reset - now, used}
  end
  left = math.min(left, daily - used)
end
local grant = left
local wait = 0
if rate > 0 then
  local b = redis.call('HMGET', KEYS[1], 't', 'ts')
  local tokens = tonumber(b[1]) or burst
  local ts = tonumber(b[2]) or now
  if now > ts then
    tokens = math.min(burst, tokens + (now - ts) * rate / 1000)
  end
  grant = math.min(left, math.floor(tokens))
  tokens = tokens - grant
  if grant < want then
    -- a wait per token would cost a round trip per send while the bucket is dry
    local need = math.max(1, math.min(batch, want - grant))
    wait = math.max(0, math.ceil((need - tokens) * 1000 / rate))
  end
  redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(math.max(now, ts)))
  redis.call('PEXPIRE', KEYS[1], 3600000)
end
if daily > 0 and grant > 0 then
  used = redis.call('INCRBY', KEYS[2], grant)
  -- relative TTL: robust to skew between this worker's clock and Redis's
  redis.call('PEXPIRE', KEYS[2], math.max(0, reset - now) + 86400000)
end
return {grant, wait, used}

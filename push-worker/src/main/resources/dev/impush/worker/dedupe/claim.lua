-- Claim a (message, device) for sending.
-- KEYS[1] dedupe key; ARGV[1] 'inflight:<owner>'; ARGV[2] lease in ms.
-- Returns {1} when claimed, else {0, current value, remaining ms}.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1}
end
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1}
end
return {0, current, redis.call('PTTL', KEYS[1])}

-- Claim (message, device) keys for sending, in order: one call for a whole chunk of a poll batch.
-- KEYS dedupe keys; ARGV[1] 'inflight:<owner>'; ARGV[2] lease in ms.
-- Returns a flat list with, per key, either 1 (claimed) or its current value followed by its
-- remaining ms (held or finished: not claimed).
local out = {}
for _, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then
    out[#out + 1] = 1
  else
    local current = redis.call('GET', key)
    if not current then
      -- expired between SET NX and GET
      redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
      out[#out + 1] = 1
    else
      out[#out + 1] = current
      out[#out + 1] = redis.call('PTTL', key)
    end
  end
end
return out

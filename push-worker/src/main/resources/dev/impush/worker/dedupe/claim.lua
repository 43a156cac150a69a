-- Claim (message, device) keys for sending, in order: one call for a whole chunk of a poll batch.
-- KEYS[1..n] dedupe keys, then, when ARGV[3] is '1', KEYS[n+1..2n] the token-shield key of each
-- delivery's token (same user hash tag, so the same slot).
-- ARGV[1] 'inflight:<owner>'; ARGV[2] lease in ms; ARGV[3] '1' with shield keys, else '0';
-- ARGV[3+i] with shield keys: when the device registered its token (epoch ms, 0 = unknown).
-- Returns a flat list with, per key, either 1 (claimed), or its current value followed by its
-- remaining ms (held or finished: not claimed), or 'shield:<ms>' followed by 0 (the token was
-- declared invalid at <ms>, not before the device registered it: not claimed, not to be sent).
local shielded = ARGV[3] == '1'
local n = shielded and #KEYS / 2 or #KEYS
local out = {}
for i = 1, n do
  local key = KEYS[i]
  local bad = shielded and redis.call('GET', KEYS[n + i]) or false
  if bad and tonumber(bad) >= tonumber(ARGV[3 + i]) then
    out[#out + 1] = 'shield:' .. bad
    out[#out + 1] = 0
  elseif redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then
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

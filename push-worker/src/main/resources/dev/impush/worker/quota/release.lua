-- Give back ARGV[1] permits a replica leased from the daily counter KEYS[1] but did not use (it is
-- shutting down), so other replicas may still spend them today. Never below zero; a counter that
-- has expired stays gone. Returns the permits given back.
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local back = math.min(used, tonumber(ARGV[1]))
if back > 0 then
  redis.call('DECRBY', KEYS[1], back)
end
return back

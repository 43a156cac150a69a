-- Recall pushes, in order: per delivery of the recalled message, what became of it. A delivery
-- neither claimed nor marked is marked 'done' now, so no worker ever sends it.
-- Keys, per delivery i: its claim key and its mark set, as KEYS[2i - 1] and KEYS[2i] (one hash slot).
-- ARGV, per delivery i: ARGV[3i - 2] its 'sent' member, ARGV[3i - 1] its 'done' member, ARGV[3i] how
-- long its mark set must live at least, in ms.
-- Returns, per delivery, 'sent', 'done', 'cancelled' (marked done by this call), or
-- the value of the claim that holds it ('inflight:<worker>').
local out = {}
for i = 1, #KEYS / 2 do
  local claim, marks = KEYS[2 * i - 1], KEYS[2 * i]
  local done = ARGV[3 * i - 1]
  if redis.call('SISMEMBER', marks, ARGV[3 * i - 2]) == 1 then
    out[#out + 1] = 'sent'
  elseif redis.call('SISMEMBER', marks, done) == 1 then
    out[#out + 1] = 'done'
  else
    local holder = redis.call('GET', claim)
    if holder then
      out[#out + 1] = holder
    else
      redis.call('SADD', marks, done)
      local ttl = tonumber(ARGV[3 * i])
      if redis.call('PTTL', marks) < ttl then
        redis.call('PEXPIRE', marks, ttl)
      end
      out[#out + 1] = 'cancelled'
    end
  end
end
return out

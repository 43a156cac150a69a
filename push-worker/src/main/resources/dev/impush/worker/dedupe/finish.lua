-- End claims, one call for the vendor answers of a poll-loop pass (one hash slot).
-- KEYS, per delivery i: KEYS[2i - 1] its claim key, KEYS[2i] its mark set.
-- ARGV[1] 'inflight:<owner>'; per delivery i: ARGV[2i] the member to add to the mark set (its 'sent'
-- or 'done' member), or '' to release the claim (only the owner may), and ARGV[2i + 1] how long the
-- mark set must live at least, in ms (its jobs' hour plus a margin, at most the sent TTL).
for i = 1, #KEYS / 2 do
  local claim, marks = KEYS[2 * i - 1], KEYS[2 * i]
  local member = ARGV[2 * i]
  if member == '' then
    if redis.call('GET', claim) == ARGV[1] then
      redis.call('DEL', claim)
    end
  else
    redis.call('SADD', marks, member)
    local ttl = tonumber(ARGV[2 * i + 1])
    if redis.call('PTTL', marks) < ttl then
      redis.call('PEXPIRE', marks, ttl)
    end
    redis.call('DEL', claim)
  end
end
return #KEYS / 2

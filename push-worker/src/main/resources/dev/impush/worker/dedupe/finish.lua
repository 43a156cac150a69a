-- End claims, one call for all the vendor answers of a poll-loop pass.
-- ARGV[1] 'inflight:<owner>'; per key i: ARGV[2i] the mark ('sent' or 'done:<why>'), or '' to
-- release the claim (only the owner may), and ARGV[2i + 1] the mark's TTL in ms (its job's remaining
-- lifetime plus a margin, at most the sent TTL).
for i, key in ipairs(KEYS) do
  local mark = ARGV[2 * i]
  if mark == '' then
    if redis.call('GET', key) == ARGV[1] then
      redis.call('DEL', key)
    end
  else
    redis.call('SET', key, mark, 'PX', ARGV[2 * i + 1])
  end
end
return #KEYS

-- Record how sends ended: KEYS[i] is set to ARGV[2i - 1] ('sent' or 'done:<why>') for ARGV[2i] ms
-- (its job's remaining lifetime plus a margin, at most the sent TTL).
-- Called as a vendor answers, with one key; any number of keys work.
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[2 * i - 1], 'PX', ARGV[2 * i])
end
return #KEYS

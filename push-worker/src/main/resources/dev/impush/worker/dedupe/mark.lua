-- Record how sends ended: KEYS[i] is set to ARGV[i + 1] ('sent' or 'done:<why>') for ARGV[1] ms.
-- One call for a whole batch of vendor answers.
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
end
return #KEYS

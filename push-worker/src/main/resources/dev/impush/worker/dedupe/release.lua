-- Give a claim back so a retry or replay can claim again; only the owner may.
-- KEYS[1] dedupe key; ARGV[1] 'inflight:<owner>'.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0

-- Extend claims this worker still holds (sends that wait longer than a lease: a quota queue, in-process retries).
-- KEYS claim keys; ARGV[1] 'inflight:<owner>'; ARGV[2] lease in ms.
-- Returns, per key, 1 when renewed, 0 when the claim is no longer ours (expired, or taken by another worker).
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out

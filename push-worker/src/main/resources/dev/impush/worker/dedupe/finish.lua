-- End claims, one call for the vendor answers of a poll-loop pass.
-- ARGV[1] 'inflight:<owner>'; ARGV[2] '1' when the keys are not declared (below), else '0'; per
-- delivery i: ARGV[2i + 1] the member to add to its mark set (its 'sent' or 'done' member), or '' to
-- release its claim (only the owner may), and ARGV[2i + 2] how long the mark set must live at least,
-- in ms (its jobs' hour plus a margin, at most the sent TTL).
-- Keys, per delivery i: its claim key and its mark set, as KEYS[2i - 1] and KEYS[2i] (one hash
-- slot), or, with ARGV[2] '1', as the two ARGV after the deliveries' arguments, KEYS[1] then only
-- routing the call: a Redis Cluster master's call for keys of several of its slots.
-- Returns the numbers (from 1) of the deliveries whose keys this master does not serve (their slot
-- moved or is moving), for the caller to end again by their slot: empty with declared keys. Ending
-- a claim twice is harmless.
local undeclared = ARGV[2] == '1'
local n, keys, base
if undeclared then
  n = (#ARGV - 2) / 4
  keys, base = ARGV, 2 + 2 * n
else
  n = #KEYS / 2
  keys, base = KEYS, 0
end

local function finish(i)
  local claim, marks = keys[base + 2 * i - 1], keys[base + 2 * i]
  local member = ARGV[2 * i + 1]
  if member == '' then
    if redis.call('GET', claim) == ARGV[1] then
      redis.call('DEL', claim)
    end
  else
    redis.call('SADD', marks, member)
    local ttl = tonumber(ARGV[2 * i + 2])
    if redis.call('PTTL', marks) < ttl then
      redis.call('PEXPIRE', marks, ttl)
    end
    redis.call('DEL', claim)
  end
end

local moved = {}
for i = 1, n do
  if undeclared then
    if not pcall(finish, i) then
      moved[#moved + 1] = i
    end
  else
    finish(i)
  end
end
return moved

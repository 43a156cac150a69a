-- Claim deliveries for sending, in order: one call for a whole chunk of a poll batch.
-- ARGV[1] 'inflight:<owner>'; ARGV[2] lease in ms; ARGV[3] '1' with shield keys, else '0'; ARGV[4]
-- '1' with legacy keys, else '0'; ARGV[5] '1' when the keys are not declared (below), else '0'; per
-- delivery: its 'sent' member, its 'done' member, and with shield keys when the device registered
-- its token (epoch ms, 0 = unknown).
-- Keys, per delivery: its claim key, its mark set, then its token's shield key when ARGV[3] is '1',
-- then its key of the earlier layout when ARGV[4] is '1'. They are KEYS (one hash slot), or, with
-- ARGV[5] '1', they follow the deliveries' arguments in ARGV and KEYS[1] only routes the call: a
-- Redis Cluster master's call for keys of several of its slots. A delivery whose keys that master
-- does not serve (its slot moved or is moving) then answers 'moved' followed by 0, nothing written,
-- for the caller to claim again by its slot.
-- Returns a flat list with, per delivery, either 1 (claimed), or its state followed by the remaining
-- ms of the key that holds it ('sent', 'done', 'inflight:<worker>', or a legacy key's value: not
-- claimed), or 'shield:<ms>' followed by 0 (the token was declared invalid at <ms>, not before the
-- device registered it: not claimed, not to be sent).
local shielded = ARGV[3] == '1'
local legacy = ARGV[4] == '1'
local undeclared = ARGV[5] == '1'
local stride = 2 + (shielded and 1 or 0) + (legacy and 1 or 0)
local astride = shielded and 3 or 2
local n, keys, base
if undeclared then
  n = (#ARGV - 5) / (astride + stride)
  keys, base = ARGV, 5 + n * astride
else
  n = #KEYS / stride
  keys, base = KEYS, 0
end

-- The only write is the last call that succeeds, so a delivery that fails wrote nothing.
local function claim(i)
  local k = base + i * stride
  local a = 5 + i * astride
  local claimKey, marks = keys[k + 1], keys[k + 2]
  local bad = shielded and redis.call('GET', keys[k + 3]) or false
  local old = legacy and redis.call('GET', keys[k + stride]) or false
  if bad and tonumber(bad) >= tonumber(ARGV[a + 3]) then
    return 'shield:' .. bad, 0
  elseif redis.call('SISMEMBER', marks, ARGV[a + 1]) == 1 then
    return 'sent', redis.call('PTTL', marks)
  elseif redis.call('SISMEMBER', marks, ARGV[a + 2]) == 1 then
    return 'done', redis.call('PTTL', marks)
  elseif old then
    return old, redis.call('PTTL', keys[k + stride])
  elseif redis.call('SET', claimKey, ARGV[1], 'NX', 'PX', ARGV[2]) then
    return 1
  end
  local current = redis.call('GET', claimKey)
  if not current then
    -- expired between SET NX and GET
    redis.call('SET', claimKey, ARGV[1], 'PX', ARGV[2])
    return 1
  end
  return current, redis.call('PTTL', claimKey)
end

local out = {}
for i = 0, n - 1 do
  local ok, state, ttl = true, nil, nil
  if undeclared then
    ok, state, ttl = pcall(claim, i)
  else
    state, ttl = claim(i)
  end
  if not ok then
    state, ttl = 'moved', 0
  end
  out[#out + 1] = state
  if ttl then
    out[#out + 1] = ttl
  end
end
return out

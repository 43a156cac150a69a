-- Claim deliveries for sending, in order: one call for a whole chunk of a poll batch (one hash slot).
-- KEYS, per delivery: its claim key, its mark set, then its token's shield key when ARGV[3] is '1',
-- then its key of the earlier layout when ARGV[4] is '1'.
-- ARGV[1] 'inflight:<owner>'; ARGV[2] lease in ms; ARGV[3] '1' with shield keys, else '0'; ARGV[4]
-- '1' with legacy keys, else '0'; per delivery: its 'sent' member, its 'done' member, and with shield
-- keys when the device registered its token (epoch ms, 0 = unknown).
-- Returns a flat list with, per delivery, either 1 (claimed), or its state followed by the remaining
-- ms of the key that holds it ('sent', 'done', 'inflight:<worker>', or a legacy key's value: not
-- claimed), or 'shield:<ms>' followed by 0 (the token was declared invalid at <ms>, not before the
-- device registered it: not claimed, not to be sent).
local shielded = ARGV[3] == '1'
local legacy = ARGV[4] == '1'
local stride = 2 + (shielded and 1 or 0) + (legacy and 1 or 0)
local astride = shielded and 3 or 2
local out = {}
for i = 0, #KEYS / stride - 1 do
  local k = i * stride
  local a = 4 + i * astride
  local claim, marks = KEYS[k + 1], KEYS[k + 2]
  local bad = shielded and redis.call('GET', KEYS[k + 3]) or false
  local old = legacy and redis.call('GET', KEYS[k + stride]) or false
  if bad and tonumber(bad) >= tonumber(ARGV[a + 3]) then
    out[#out + 1] = 'shield:' .. bad
    out[#out + 1] = 0
  elseif redis.call('SISMEMBER', marks, ARGV[a + 1]) == 1 then
    out[#out + 1] = 'sent'
    out[#out + 1] = redis.call('PTTL', marks)
  elseif redis.call('SISMEMBER', marks, ARGV[a + 2]) == 1 then
    out[#out + 1] = 'done'
    out[#out + 1] = redis.call('PTTL', marks)
  elseif old then
    out[#out + 1] = old
    out[#out + 1] = redis.call('PTTL', KEYS[k + stride])
  elseif redis.call('SET', claim, ARGV[1], 'NX', 'PX', ARGV[2]) then
    out[#out + 1] = 1
  else
    local current = redis.call('GET', claim)
    if not current then
      -- expired between SET NX and GET
      redis.call('SET', claim, ARGV[1], 'PX', ARGV[2])
      out[#out + 1] = 1
    else
      out[#out + 1] = current
      out[#out + 1] = redis.call('PTTL', claim)
    end
  end
end
return out

-- Counts the tokens a finished request used against its token's per-minute bucket, which may go
-- into debt; the next request is refused until the debt is repaid (acquire.lua).
--
-- KEYS[1]  the token bucket    ARGV[1]  tpm    ARGV[2]  tokens used    ARGV[3]  the window, ms
-- ARGV[4]  kept after whole again, ms.                          Returns the tokens left, floored.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tpm, used = tonumber(ARGV[1]), tonumber(ARGV[2])
local window, keep = tonumber(ARGV[3]), tonumber(ARGV[4])

local tokens = tpm
local state = redis.call('GET', KEYS[1])
if state then
  local left, at = string.match(state, '(%S+) (%S+)')
  tokens = tonumber(left) + (now - tonumber(at)) * tpm / window
  if tokens > tpm then
    tokens = tpm
  end
end
tokens = tokens - used
redis.call('SET', KEYS[1], string.format('%.17g %d', tokens, now),
    'PX', math.ceil((tpm - tokens) * window / tpm) + keep)
return math.floor(tokens)

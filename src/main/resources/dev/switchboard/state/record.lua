-- Counts the tokens a finished request used against the per-minute token bucket of each of its
-- quotas (its token's, its team's), which may go into debt; the next request is refused until the
-- debt is repaid (acquire.lua).
--
-- KEYS[i]  the token bucket of quota i    ARGV[1]  tokens used    ARGV[2]  the window, ms
-- ARGV[3]  kept after whole again, ms     ARGV[3+i]  the tpm of quota i.
-- Returns the tokens left in the first bucket, floored.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local used, window, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])

local first
for i = 1, #KEYS do
  local tpm = tonumber(ARGV[3 + i])
  local tokens = tpm
  local state = redis.call('GET', KEYS[i])
  if state then
    local left, at = string.match(state, '(%S+) (%S+)')
    tokens = tonumber(left) + (now - tonumber(at)) * tpm / window
    if tokens > tpm then
      tokens = tpm
    end
  end
  tokens = tokens - used
  redis.call('SET', KEYS[i], string.format('%.17g %d', tokens, now),
      'PX', math.ceil((tpm - tokens) * window / tpm) + keep)
  if not first then
    first = math.floor(tokens)
  end
end
return first

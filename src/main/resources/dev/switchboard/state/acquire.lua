-- Admits one request of a token, or refuses it, against its two per-minute buckets
-- (docs/operations.md#keys-and-sizing). The same buckets as the gateway keeps in memory: each holds
-- up to its limit, refills smoothly over the window, and the token bucket may be in debt (tokens are
-- counted after a request ends). Time is Redis's, so every node agrees on it.
--
-- KEYS[1]  the request bucket          ARGV[1]  rpm (0: none)     ARGV[3]  the window, ms
-- KEYS[2]  the token bucket            ARGV[2]  tpm (0: none)     ARGV[4]  kept after whole again, ms
-- Returns {admitted (1/0), exhausted (0 none, 1 requests, 2 tokens), requests left, tokens left,
-- ms until the exhausted bucket admits again}; a bucket that is not limited reads -1.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
local window, keep = tonumber(ARGV[3]), tonumber(ARGV[4])

local function level(key, limit)
  local state = redis.call('GET', key)
  if not state then
    return limit
  end
  local tokens, at = string.match(state, '(%S+) (%S+)')
  local refilled = tonumber(tokens) + (now - tonumber(at)) * limit / window
  if refilled > limit then
    return limit
  end
  return refilled
end

local requests, tokens = -1, -1
if tpm > 0 then
  tokens = level(KEYS[2], tpm)
end
if rpm > 0 then
  requests = level(KEYS[1], rpm)
end
if tpm > 0 and tokens < 1 then
  return {0, 2, math.floor(requests), math.floor(tokens), math.ceil((1 - tokens) * window / tpm)}
end
if rpm > 0 then
  if requests < 1 then
    return {0, 1, math.floor(requests), math.floor(tokens), math.ceil((1 - requests) * window / rpm)}
  end
  requests = requests - 1
  redis.call('SET', KEYS[1], string.format('%.17g %d', requests, now),
      'PX', math.ceil((rpm - requests) * window / rpm) + keep)
end
return {1, 0, math.floor(requests), math.floor(tokens), 0}

-- Admits one request, or refuses it, against the two per-minute buckets of each of its quotas (its
-- token's, then its team's: docs/operations.md#keys-and-sizing), all in this one atomic command. The
-- same buckets as the gateway keeps in memory: each holds up to its limit, refills smoothly over the
-- window, and a token bucket may be in debt (tokens are counted after a request ends). Time is
-- Redis's, so every node agrees on it.
--
-- ARGV[1]  the window, ms           ARGV[2]  kept after whole again, ms
-- for quota i (from 1):  KEYS[2i-1] its request bucket, ARGV[2i+1] its rpm (0: none)
--                        KEYS[2i]   its token bucket,   ARGV[2i+2] its tpm (0: none)
-- Returns {admitted (1/0), exhausted (0 none, 1 requests, 2 tokens), the exhausted quota (from 1; 0
-- none), ms until the exhausted bucket admits again, then requests left and tokens left of each
-- quota}; a bucket that is not limited reads -1. A refusal spends nothing.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window, keep = tonumber(ARGV[1]), tonumber(ARGV[2])
local count = #KEYS / 2

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

local rpm, tpm, requests, tokens = {}, {}, {}, {}
for i = 1, count do
  rpm[i], tpm[i] = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  requests[i], tokens[i] = -1, -1
  if tpm[i] > 0 then
    tokens[i] = level(KEYS[2 * i], tpm[i])
  end
  if rpm[i] > 0 then
    requests[i] = level(KEYS[2 * i - 1], rpm[i])
  end
end

local function reply(admitted, exhausted, quota, wait)
  local result = {admitted, exhausted, quota, wait}
  for i = 1, count do
    result[#result + 1] = math.floor(requests[i])
    result[#result + 1] = math.floor(tokens[i])
  end
  return result
end

for i = 1, count do
  if tpm[i] > 0 and tokens[i] < 1 then
    return reply(0, 2, i, math.ceil((1 - tokens[i]) * window / tpm[i]))
  end
end
for i = 1, count do
  if rpm[i] > 0 and requests[i] < 1 then
    return reply(0, 1, i, math.ceil((1 - requests[i]) * window / rpm[i]))
  end
end
for i = 1, count do
  if rpm[i] > 0 then
    requests[i] = requests[i] - 1
    redis.call('SET', KEYS[2 * i - 1], string.format('%.17g %d', requests[i], now),
        'PX', math.ceil((rpm[i] - requests[i]) * window / rpm[i]) + keep)
  end
end
return reply(1, 0, 0, 0)

-- Adds ARGV[1] to each counter of KEYS that exists, in this one atomic command
-- (docs/operations.md#keys-and-sizing). A missing counter stays missing: it is seeded from the
-- database (counter-seed.lua), which holds this amount too once its row is written, so adding it
-- here as well would count it twice.
-- Returns how many counters were added to.
local added = 0
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('INCRBY', key, ARGV[1])
    added = added + 1
  end
end
return added

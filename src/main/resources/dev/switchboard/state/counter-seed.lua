-- Sets a missing counter to ARGV[1] and makes it expire at ARGV[2] (Unix seconds; 0: never);
-- a counter that exists is left alone, so that of several nodes seeding at once the first wins
-- and what was added since is kept (docs/operations.md#keys-and-sizing).
-- Returns 1 when it set the counter, 0 when the counter was there.
if redis.call('SET', KEYS[1], ARGV[1], 'NX') then
  if tonumber(ARGV[2]) > 0 then
    redis.call('EXPIREAT', KEYS[1], ARGV[2])
  end
  return 1
end
return 0

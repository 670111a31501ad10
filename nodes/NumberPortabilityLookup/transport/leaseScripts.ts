/**
 * The Lua scripts of the cross-process budget. One sorted set per account holds a member per
 * open socket (owner id + socket number) scored by its expiry on the Redis server's clock, so no
 * process's clock matters. Each script runs atomically: expired leases are dropped, counted and
 * added in one step, and a process only ever renews or releases members it named itself.
 */

const NOW_MS = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/**
 * KEYS[1] leases, KEYS[2] waiting processes; ARGV member, limit, ttl ms, owner, wanted channel,
 * wait ttl ms. Grants while fewer than `limit` leases are live (a member already there is
 * renewed: a retried call must not count twice). A refusal marks the owner as waiting (for the
 * wait ttl) and tells every process, on the wanted channel, how many processes use the account
 * now (holders and waiters): each then keeps no more than its share.
 * Returns {1, live} when granted, else {0, live, ms until the first lease expires, processes}.
 */
export const ACQUIRE_LEASE = `${NOW_MS}
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local live = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or live < tonumber(ARGV[2]) then
	redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
	redis.call('PEXPIRE', KEYS[1], ttl * 2)
	redis.call('ZREM', KEYS[2], ARGV[4])
	return {1, redis.call('ZCARD', KEYS[1])}
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), ARGV[4])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]) * 2)
local owners, processes = {}, 0
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
	local owner = string.match(member, '^(.*):') or member
	if not owners[owner] then owners[owner] = true; processes = processes + 1 end
end
for _, owner in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
	if not owners[owner] then owners[owner] = true; processes = processes + 1 end
end
redis.call('PUBLISH', ARGV[5], processes)
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, live, tonumber(first[2]) - now, processes}
`;

/**
 * KEYS[1] leases; ARGV ttl ms, then this process's members. Extends each; a member that is
 * gone (Redis restarted, or this process stalled past the expiry) is put back, because its
 * socket is still open and the set must count it. Returns how many were put back.
 */
export const RENEW_LEASES = `${NOW_MS}
local ttl = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local restored = 0
for i = 2, #ARGV do
	if not redis.call('ZSCORE', KEYS[1], ARGV[i]) then restored = restored + 1 end
	redis.call('ZADD', KEYS[1], now + ttl, ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ttl * 2)
return restored
`;

/** KEYS[1] leases; ARGV channel, then members. Removes them and tells waiting processes. */
export const RELEASE_LEASES = `
local removed = 0
for i = 2, #ARGV do removed = removed + redis.call('ZREM', KEYS[1], ARGV[i]) end
if removed > 0 then redis.call('PUBLISH', ARGV[1], removed) end
return removed
`;

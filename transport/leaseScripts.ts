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
 * KEYS[1] leases, KEYS[2] waiting processes, KEYS[3] released channel; ARGV member, limit, ttl
 * ms, owner, wanted channel, wait ttl ms. A member already there is renewed (a retried call must
 * not count twice). Otherwise it grants while fewer than `limit` leases are live, except that a
 * process already holding its smaller share (the limit divided among the processes using it,
 * rounded down) waits while another waiting process holds less: a freed lease goes to the process
 * that has been left out, not to whichever asks first. A refusal marks the owner as waiting (for
 * the wait ttl) and tells every process, on the wanted channel, how many processes use the
 * account now (holders and waiters): each then keeps no more than its share.
 * Returns {1, live} when granted, else {0, live, ms until asking again makes sense, processes}.
 */
export const ACQUIRE_LEASE = `${NOW_MS}
local limit, ttl, asker = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local live = redis.call('ZCARD', KEYS[1])
local function grant()
	redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
	redis.call('PEXPIRE', KEYS[1], ttl * 2)
	local live = redis.call('ZCARD', KEYS[1])
	-- Others this process kept waiting may go now.
	if redis.call('ZREM', KEYS[2], asker) == 1 and live < limit then redis.call('PUBLISH', KEYS[3], 0) end
	return {1, live}
end
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return grant() end
local held, processes = {}, 0
local function count(owner, n)
	if not held[owner] then held[owner] = 0; processes = processes + 1 end
	held[owner] = held[owner] + n
end
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do count(string.match(member, '^(.*):') or member, 1) end
local waiters = redis.call('ZRANGE', KEYS[2], 0, -1)
for _, owner in ipairs(waiters) do count(owner, 0) end
count(asker, 0)
if live < limit then
	local least = math.max(1, math.floor(limit / processes))
	local leftOut = false
	if held[asker] >= least then
		for _, owner in ipairs(waiters) do
			if owner ~= asker and held[owner] < least then leftOut = true end
		end
	end
	if not leftOut then return grant() end
end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[6]), asker)
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[6]) * 2)
redis.call('PUBLISH', ARGV[5], processes)
if live < limit then return {0, live, tonumber(ARGV[6]), processes} end
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

/**
 * Said on the wanted channel when leases come back and no process waits: every process may drop
 * its share and use the account up to its own limit again (the processes left finish the work of
 * one that is done, instead of keeping their shares until those lapse). Uses `now`: put it after
 * NOW_MS.
 */
const NOBODY_WAITS = `
local function nobodyWaits(waiting, wanted)
	redis.call('ZREMRANGEBYSCORE', waiting, '-inf', now)
	if redis.call('ZCARD', waiting) == 0 then redis.call('PUBLISH', wanted, 0) end
end
`;

/**
 * KEYS[1] leases, KEYS[2] waiting processes; ARGV released channel, wanted channel, then
 * members. Removes them and tells waiting processes, or, when none waits, every process.
 */
export const RELEASE_LEASES = `${NOW_MS}${NOBODY_WAITS}
local removed = 0
for i = 3, #ARGV do removed = removed + redis.call('ZREM', KEYS[1], ARGV[i]) end
if removed > 0 then
	redis.call('PUBLISH', ARGV[1], removed)
	nobodyWaits(KEYS[2], ARGV[2])
end
return removed
`;

/**
 * KEYS[1] waiting processes; ARGV owner, released channel, wanted channel. The owner no longer
 * waits (its requests found leases of its own, or gave up): others it kept waiting may go now,
 * and when none waits any more, every process may drop its share.
 */
export const STOP_WAITING = `${NOW_MS}${NOBODY_WAITS}
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
	redis.call('PUBLISH', ARGV[2], 0)
	nobodyWaits(KEYS[1], ARGV[3])
end
`;

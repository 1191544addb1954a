"""The Lua scripts every adapter shares: filter a window, find a member, move members.

All run inside Redis, so each is atomic. The filter reads one window (a few thousand
members, or fewer when they are big) per call, so no call holds the server for long;
the endpoint calls it again from where it stopped. The lookup hashes members inside
Redis rather than sending a window of payloads over. The move takes each job out of
its set or list by its exact bytes (``ZREM`` / ``LREM`` answer 1 to one caller only)
and writes it to its destination in the same step: two people, or a worker, moving
one job at once get one copy and a miss, never two copies or none. It checks the keys
it writes before taking anything out, since Redis keeps a script's earlier writes when
a later one fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from redis.asyncio import Redis

_READING = """
-- Reading a window of KEYS[1] in its view's order, a chunk at a time, so no call holds
-- more than a chunk of payloads: read(from, to) gives members (and scores) of ranks
-- from..to; order 'z' ascending score, 'zr' descending, 'l' from the left, 'lr' from
-- the right.
local function read(key, order, from, to)
  if order == 'z' then return redis.call('ZRANGE', key, from, to, 'WITHSCORES'), 2 end
  if order == 'zr' then return redis.call('ZREVRANGE', key, from, to, 'WITHSCORES'), 2 end
  if order == 'l' then return redis.call('LRANGE', key, from, to), 1 end
  local window, members = redis.call('LRANGE', key, -(to + 1), -(from + 1)), {}
  for index = #window, 1, -1 do members[#members + 1] = window[index] end
  return members, 1
end
local CHUNK = 100
"""

NEEDLES = """
-- The filter's needle groups (windows.filter_args) from ARGV[first] on: each its type,
-- the count of its items, its items; and a dotted path's value in a decoded payload.
local function needle_groups(first)
  local groups, at = {}, first
  while at <= #ARGV do
    local count = tonumber(ARGV[at + 1])
    local items = {}
    for k = 1, count do items[k] = ARGV[at + 1 + k] end
    groups[#groups + 1] = {ARGV[at], items}
    at = at + 2 + count
  end
  return groups
end
local function field(decoded, path)
  local value = decoded
  for part in string.gmatch(path, '[^.]+') do
    if type(value) ~= 'table' then return nil end
    value = value[part]
  end
  return value
end
"""

FILTER = (
    _READING
    + NEEDLES
    + """
-- KEYS[1]: a sorted set or a list of job payloads.
-- ARGV[1] first rank, ARGV[2] most members to read, ARGV[3] most matches to return (0:
-- count only), ARGV[4] order (above), ARGV[5] most payload bytes to read: the window
-- ends early after the member that passes it, so big payloads never stall the server.
-- ARGV[6..]: groups, each: its type, the count of its items, its items.
--   't' (text): items 'i' (any case) or 's', then needles; one needle found is a hit.
--   'f' (field): items value, a needle to find first, then field paths ('payload.class');
--       a hit when one of the fields of the decoded payload equals the value.
-- A member matches when every group hits (with no group, every member does). Returns
-- {next rank, matches or count}, matches being member, score ('' in lists), rank.
local first, window, most = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local order, budget = ARGV[4], tonumber(ARGV[5])
local groups = needle_groups(6)
local function hits(member)
  local lowered
  for _, group in ipairs(groups) do
    local kind, items = group[1], group[2]
    local hit = false
    if kind == 't' then
      local text = member
      if items[1] == 'i' then
        lowered = lowered or string.lower(member)
        text = lowered
      end
      for k = 2, #items do
        if string.find(text, items[k], 1, true) then hit = true break end
      end
    elseif string.find(member, items[2], 1, true) then
      local ok, decoded = pcall(cjson.decode, member)
      if ok and type(decoded) == 'table' then
        for k = 3, #items do
          if field(decoded, items[k]) == items[1] then hit = true break end
        end
      end
    end
    if not hit then return false end
  end
  return true
end
local found, count, rank, bytes = {}, 0, first, 0
local last = first + window - 1
while rank <= last do
  local members, step = read(KEYS[1], order, rank, math.min(last, rank + CHUNK - 1))
  if #members == 0 then break end
  for m = 1, #members, step do
    local member = members[m]
    bytes = bytes + #member
    if hits(member) then
      count = count + 1
      if most > 0 then
        found[#found + 1] = member
        found[#found + 1] = step == 2 and members[m + 1] or ''
        found[#found + 1] = rank
      end
    end
    rank = rank + 1
    if (most > 0 and count >= most) or bytes >= budget then
      return {rank, most > 0 and found or count}
    end
  end
  if #members < CHUNK * step and rank <= last then break end
end
return {rank, most > 0 and found or count}
"""
)

LOCATE = (
    _READING
    + """
-- The member of KEYS[1] whose SHA-1 starts with ARGV[4] (20 hex digits), found inside
-- Redis so that no window of payloads crosses the wire. ARGV[1] order (above), ARGV[2]
-- the rank it was seen at, ARGV[3] its score ('' in a list), ARGV[5] how far from that
-- rank to look, ARGV[6] how many members of the same score to look at after that,
-- ARGV[7] most payload bytes to hash. Returns {member, score, rank} or {}.
local order, seen, reach = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[5])
local wanted, budget, bytes = ARGV[4], tonumber(ARGV[7]), 0
local score = ARGV[3] ~= '' and tonumber(ARGV[3]) or nil
local function same(member)
  bytes = bytes + #member
  return string.sub(redis.sha1hex(member), 1, 20) == wanted
end
if seen >= 0 then
  local rank = math.max(0, seen - reach)
  while rank <= seen + reach and bytes < budget do
    local members, step = read(KEYS[1], order, rank, math.min(seen + reach, rank + CHUNK - 1))
    if #members == 0 then break end
    for m = 1, #members, step do
      local scored = step == 1 or tonumber(members[m + 1]) == score
      if scored and same(members[m]) then
        return {members[m], step == 2 and members[m + 1] or '', rank}
      end
      rank = rank + 1
    end
  end
end
if score == nil then return {} end
local offset, most = 0, tonumber(ARGV[6])
while offset < most and bytes < budget do
  local batch = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], ARGV[3], 'LIMIT', offset, CHUNK)
  for _, member in ipairs(batch) do
    if same(member) then return {member, ARGV[3], -1} end
  end
  if #batch < CHUNK then break end
  offset = offset + CHUNK
end
return {}
"""
)

MOVE = """
-- KEYS[1] the source (sorted set or list), KEYS[2] the destination, KEYS[3] a set of
-- queue names to add to (KEYS[1] stands in for an unused key).
-- ARGV[1] source: 'z' sorted set, 'l' list searched from the left, 'lr' from the right.
-- ARGV[2] what to do with each job taken out:
-- 'delete', 'lpush' or 'rpush' to the destination list, 'zadd' to the destination set.
-- ARGV[3] the score for 'zadd'. ARGV[4] the member for KEYS[3] ('' for none).
-- ARGV[5..] pairs: the job's exact stored bytes, the payload to write.
-- Returns 1 per job moved, 0 per job that was no longer there.
-- Redis does not undo a script's writes when a later call fails, so every key written
-- is checked first: a job is never taken out when it could not be put anywhere.
local function refuse(key, wanted)
  local found = redis.call('TYPE', key)['ok']
  if found ~= 'none' and found ~= wanted then
    return redis.error_reply('WRONGTYPE ' .. key .. ' holds a ' .. found .. ', not a ' .. wanted)
  end
end
local wrong
if ARGV[2] == 'lpush' or ARGV[2] == 'rpush' then wrong = refuse(KEYS[2], 'list')
elseif ARGV[2] == 'zadd' then wrong = refuse(KEYS[2], 'zset') end
if not wrong and ARGV[4] ~= '' then wrong = refuse(KEYS[3], 'set') end
if wrong then return wrong end
local results = {}
for i = 5, #ARGV, 2 do
  local removed
  if ARGV[1] == 'z' then
    removed = redis.call('ZREM', KEYS[1], ARGV[i])
  elseif ARGV[1] == 'lr' then
    removed = redis.call('LREM', KEYS[1], -1, ARGV[i])
  else
    removed = redis.call('LREM', KEYS[1], 1, ARGV[i])
  end
  if removed == 1 then
    if ARGV[2] == 'lpush' then
      redis.call('LPUSH', KEYS[2], ARGV[i + 1])
    elseif ARGV[2] == 'rpush' then
      redis.call('RPUSH', KEYS[2], ARGV[i + 1])
    elseif ARGV[2] == 'zadd' then
      redis.call('ZADD', KEYS[2], ARGV[3], ARGV[i + 1])
    end
    if ARGV[4] ~= '' then
      redis.call('SADD', KEYS[3], ARGV[4])
    end
  end
  results[#results + 1] = removed
end
return results
"""


async def run(client: Redis, source: str, keys: Sequence[str], args: Sequence[Any]) -> Any:
    """Run a script by its digest, loading it first when the server does not have it."""
    script = client.register_script(source)
    return await script(keys=list(keys), args=list(args))


async def move(
    client: Redis,
    *,
    source: tuple[str, str],
    how: str,
    destination: str | None = None,
    score: float | None = None,
    names: tuple[str, str] | None = None,
    jobs: Sequence[tuple[bytes, bytes]],
) -> list[bool]:
    """Take ``jobs`` (exact stored bytes, payload to write) out of ``source`` (its kind,
    'z', 'l' or 'lr', and key) and do ``how`` with each; whether each was still there."""
    kind, key = source
    keys = [key, destination or key, names[0] if names else key]
    args: list[Any] = [
        kind,
        how,
        repr(score) if score is not None else "",
        names[1] if names else "",
    ]
    for stored, written in jobs:
        args += [stored, written]
    results = cast(list[int], await run(client, MOVE, keys, args))
    return [bool(result) for result in results]

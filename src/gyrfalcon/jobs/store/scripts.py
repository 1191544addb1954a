"""The two Lua scripts every adapter shares: filter a window, move exact members.

Both run inside Redis, so each is atomic. The filter reads one window (a few thousand
members) per call, so no call holds the server for long; the endpoint calls it again
from where it stopped. The move takes each job out of its set or list by its exact
bytes (``ZREM`` / ``LREM`` answer 1 to one caller only) and writes it to its
destination in the same step: two people, or a worker, moving one job at once get one
copy and a miss, never two copies or none. It checks the keys it writes before taking
anything out, since Redis keeps a script's earlier writes when a later one fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from redis.asyncio import Redis

FILTER = """
-- KEYS[1]: a sorted set or a list of job payloads.
-- ARGV[1] first rank, ARGV[2] window size, ARGV[3] most matches to return (0: count only),
-- ARGV[4] order: 'z' ascending score, 'zr' descending, 'l' from the left, 'lr' from the right.
-- ARGV[5..]: groups, each: its type, the count of its items, its items.
--   't' (text): items 'i' (any case) or 's', then needles; one needle found is a hit.
--   'f' (field): items value, a needle to find first, then field paths ('payload.class');
--       a hit when one of the fields of the decoded payload equals the value.
-- A member matches when every group hits. Returns {next rank, matches or count, members
-- read, their bytes}, where matches are member, score ('' in lists), rank, in order; the
-- caller sizes its next window by the bytes, so big payloads never fill Lua's memory.
local first = tonumber(ARGV[1])
local last = first + tonumber(ARGV[2]) - 1
local most = tonumber(ARGV[3])
local order = ARGV[4]
local members, step = {}, 2
if order == 'z' then
  members = redis.call('ZRANGE', KEYS[1], first, last, 'WITHSCORES')
elseif order == 'zr' then
  members = redis.call('ZREVRANGE', KEYS[1], first, last, 'WITHSCORES')
elseif order == 'l' then
  members = redis.call('LRANGE', KEYS[1], first, last)
  step = 1
else
  local window = redis.call('LRANGE', KEYS[1], -(last + 1), -(first + 1))
  for index = #window, 1, -1 do members[#members + 1] = window[index] end
  step = 1
end
local groups, at = {}, 5
while at <= #ARGV do
  local count = tonumber(ARGV[at + 1])
  local items = {}
  for k = 1, count do items[k] = ARGV[at + 1 + k] end
  groups[#groups + 1] = {ARGV[at], items}
  at = at + 2 + count
end
local function field(decoded, path)
  local value = decoded
  for part in string.gmatch(path, '[^.]+') do
    if type(value) ~= 'table' then return nil end
    value = value[part]
  end
  return value
end
local function hits(member, lowered)
  for _, group in ipairs(groups) do
    local kind, items = group[1], group[2]
    local hit = false
    if kind == 't' then
      local text = member
      if items[1] == 'i' then
        if lowered[1] == nil then lowered[1] = string.lower(member) end
        text = lowered[1]
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
local read, bytes = 0, 0
for m = 1, #members, step do
  read = read + 1
  bytes = bytes + #members[m]
end
local found, count, rank = {}, 0, first
for m = 1, #members, step do
  local member = members[m]
  if hits(member, {}) then
    count = count + 1
    if most > 0 then
      found[#found + 1] = member
      found[#found + 1] = step == 2 and members[m + 1] or ''
      found[#found + 1] = rank
      if count >= most then return {rank + 1, found, read, bytes} end
    end
  end
  rank = rank + 1
end
if most == 0 then return {rank, count, read, bytes} end
return {rank, found, read, bytes}
"""

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

"""The Lua scripts of the Celery adapter. The reads are bounded by their arguments; the
writes compare a result's exact bytes before changing anything, so of two people acting
on one failure at once only one acts."""

from __future__ import annotations

from gyrfalcon.jobs.store.scripts import NEEDLES

SCAN_FAILURES = (
    NEEDLES
    + """
-- One read-only step over the keyspace. ARGV[1] the SCAN cursor, ARGV[2] its COUNT,
-- ARGV[3] its MATCH pattern, ARGV[4] the largest result decoded, in bytes; ARGV[5..] the
-- filter's groups (windows.filter_args): 't' needles in the lowered text, 'f' a value
-- and the fields of the decoded result that may equal it.
-- Returns {next cursor, results read, found}: for each failure its key, date_done ('' if
-- none), 'e' (result_extended), 'n' (without) or 'x' (not JSON, or too big), and '1' or
-- '0' for whether the filter matches.
local reply = redis.call('SCAN', ARGV[1], 'MATCH', ARGV[3], 'COUNT', tonumber(ARGV[2]))
local most = tonumber(ARGV[4])
local groups = needle_groups(5)
local function hits(raw, meta)
  local lowered
  for _, group in ipairs(groups) do
    local kind, items = group[1], group[2]
    local hit = false
    if kind == 't' then
      lowered = lowered or string.lower(raw)
      for k = 2, #items do
        if string.find(lowered, items[k], 1, true) then hit = true break end
      end
    elseif meta then
      for k = 3, #items do
        if field(meta, items[k]) == items[1] then hit = true break end
      end
    end
    if not hit then return false end
  end
  return true
end
local found, read = {}, 0
for _, key in ipairs(reply[2]) do
  local size = redis.pcall('STRLEN', key)
  if type(size) == 'number' then
    read = read + 1
    local raw, meta, how, failed = nil, nil, 'x', false
    if size <= most then
      raw = redis.call('GET', key)
      if raw and string.find(raw, 'FAILURE', 1, true) then
        local ok, decoded = pcall(cjson.decode, raw)
        if ok and type(decoded) == 'table' then
          if decoded['status'] == 'FAILURE' then
            failed, meta = true, decoded
            how = (type(decoded['name']) == 'string' and decoded['args'] ~= nil) and 'e' or 'n'
          end
        else
          failed = true
        end
      end
    else
      raw = redis.call('GETRANGE', key, 0, 65535)
      failed = string.find(raw, '"status": "FAILURE"', 1, true) ~= nil
    end
    if failed then
      local done = ''
      if meta and type(meta['date_done']) == 'string' then
        done = meta['date_done']
      else
        done = string.match(raw, '"date_done": *"([^"]*)"') or ''
      end
      found[#found + 1] = key
      found[#found + 1] = done
      found[#found + 1] = how
      found[#found + 1] = hits(raw, meta) and '1' or '0'
    end
  end
end
return {reply[1], read, found}
"""
)

RETRY = """
-- KEYS[1] the failure's result, KEYS[2] the queue's list. ARGV[1] the result's exact
-- bytes, ARGV[2] the new task message. Sends it and deletes the failure only if the
-- failure is still exactly as read, so one of two retries sends, the other gets 0.
local kind = redis.call('TYPE', KEYS[2])['ok']
if kind ~= 'none' and kind ~= 'list' then
  return redis.error_reply('WRONGTYPE ' .. KEYS[2] .. ' holds a ' .. kind .. ', not a list')
end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('LPUSH', KEYS[2], ARGV[2])
return 1
"""

DELETE = """
-- KEYS[1] the failure's result, ARGV[1] its exact bytes: deleted only if still so.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])
"""

CLEAN = """
-- KEYS[1] the reply binding set, KEYS[2..] the reply queue's lists. ARGV[1] the binding.
redis.call('SREM', KEYS[1], ARGV[1])
for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
"""

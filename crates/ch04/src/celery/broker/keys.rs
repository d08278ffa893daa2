//! Chapter 4 · Where Python's kombu keeps a Redis queue's messages, and the
//! atomic steps on them.
//!
//! - the queue: a list named after it; producers `LPUSH`, consumers pop
//!   from the right;
//! - messages delivered but not acknowledged: the hash `unacked`
//!   (tag → `[message, exchange, routing_key]`) and the sorted set
//!   `unacked_index` (tag → delivery time);
//! - `unacked_mutex`: held by whoever restores overdue messages;
//! - `unacked_deliveries` (tag → times delivered without an ack) and the
//!   dead-letter list `<queue>:dead`: ours, not kombu's (see `dead.rs`).
//!
//! Delivery times are the Redis server's clock (`TIME`), not each
//! worker's: a worker whose clock runs behind would otherwise see its own
//! live leases as overdue, or another's as fresh.
//!
//! Using the same keys and formats lets Rust and Python workers share a
//! queue, and restore each other's lost messages.

use redis::Script;

pub const UNACKED: &str = "unacked";
pub const UNACKED_INDEX: &str = "unacked_index";
pub const UNACKED_MUTEX: &str = "unacked_mutex";
pub const DELIVERIES: &str = "unacked_deliveries";

/// The dead-letter list of `queue`.
pub fn dead(queue: &str) -> String {
    format!("{queue}:dead")
}

/// The Redis server's clock in seconds, inside a script.
const NOW: &str = "local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
";

// ANCHOR: pop
/// Pop up to `ARGV[1]` of the oldest messages and record them as
/// unacknowledged, in one atomic step: a worker killed at any moment leaves
/// each message either in the queue or in `unacked`, never nowhere. Each
/// delivery is counted (`KEYS[4]`). Returns `[message, tag, count, ...]`,
/// with an empty tag for a message that is not a kombu envelope (oldest
/// first; empty if none).
/// KEYS: queue, unacked, unacked_index, unacked_deliveries.
pub fn pop_and_record() -> Script {
    Script::new(&[NOW, POP].concat())
}

// ANCHOR: pop_script
const POP: &str = r"
local raws = redis.call('RPOP', KEYS[1], tonumber(ARGV[1]))
if not raws then return {} end
local out, scores, records = {}, {}, {}
for _, raw in ipairs(raws) do
  local tag = ''
  local ok, msg = pcall(cjson.decode, raw)
  if ok and type(msg) == 'table' and type(msg['properties']) == 'table'
     and type(msg['properties']['delivery_tag']) == 'string' then
    tag = msg['properties']['delivery_tag']
    local ex, rk = '', KEYS[1]
    local info = msg['properties']['delivery_info']
    if type(info) == 'table' then
      if type(info['exchange']) == 'string' then ex = info['exchange'] end
      if type(info['routing_key']) == 'string' then rk = info['routing_key'] end
    end
    table.insert(scores, now); table.insert(scores, tag)
    table.insert(records, tag)
    table.insert(records,
      '[' .. raw .. ',' .. cjson.encode(ex) .. ',' .. cjson.encode(rk) .. ']')
  end
  local count = 0
  if tag ~= '' then count = redis.call('HINCRBY', KEYS[4], tag, 1) end
  table.insert(out, raw); table.insert(out, tag)
  table.insert(out, tostring(count))
end
if #scores > 0 then
  redis.call('ZADD', KEYS[3], unpack(scores))
  redis.call('HSET', KEYS[2], unpack(records))
end
return out
";
// ANCHOR_END: pop_script
// ANCHOR_END: pop

/// Renew the leases of the tags in ARGV that are still unacknowledged
/// (`ZADD XX`), stamped with the server's clock. KEYS: unacked_index.
pub fn renew() -> Script {
    Script::new(&[NOW, RENEW].concat())
}

const RENEW: &str = r"
for _, tag in ipairs(ARGV) do
  redis.call('ZADD', KEYS[1], 'XX', now, tag)
end
return #ARGV
";

/// Put an unacknowledged message back on a queue, if it is still the one
/// recorded under its tag (nobody acknowledged or restored it meanwhile).
/// KEYS: unacked, unacked_index, queue; ARGV: tag, recorded, new message.
pub fn restore_if_unchanged() -> Script {
    Script::new(
        r"
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[3])
return 1
",
    )
}

/// Release the restore mutex only if we still hold it.
pub fn release_mutex() -> Script {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
",
    )
}

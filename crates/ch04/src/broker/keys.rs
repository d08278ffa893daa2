//! Chapter 4 · Where Python's kombu keeps a Redis queue's messages, and the
//! atomic steps on them.
//!
//! - the queue: a list named after it; producers `LPUSH`, consumers pop
//!   from the right;
//! - messages delivered but not acknowledged: the hash `unacked`
//!   (tag → `[message, exchange, routing_key]`) and the sorted set
//!   `unacked_index` (tag → delivery time);
//! - `unacked_mutex`: held by whoever restores overdue messages.
//!
//! Using the same keys and formats lets Rust and Python workers share a
//! queue, and restore each other's lost messages.

use redis::Script;

pub const UNACKED: &str = "unacked";
pub const UNACKED_INDEX: &str = "unacked_index";
pub const UNACKED_MUTEX: &str = "unacked_mutex";

// ANCHOR: pop
/// Pop the oldest message and record it as unacknowledged, in one atomic
/// step: a worker killed at any moment leaves the message either in the
/// queue or in `unacked`, never nowhere. Returns `[message, tag]`, with an
/// empty tag for a message that is not a kombu envelope.
pub fn pop_and_record() -> Script {
    Script::new(
        r"
local raw = redis.call('RPOP', KEYS[1])
if not raw then return false end
local ok, msg = pcall(cjson.decode, raw)
if not ok or type(msg) ~= 'table' or type(msg['properties']) ~= 'table' then
  return {raw, ''}
end
local tag = msg['properties']['delivery_tag']
if type(tag) ~= 'string' then return {raw, ''} end
local ex, rk = '', KEYS[1]
local info = msg['properties']['delivery_info']
if type(info) == 'table' then
  if type(info['exchange']) == 'string' then ex = info['exchange'] end
  if type(info['routing_key']) == 'string' then rk = info['routing_key'] end
end
redis.call('ZADD', KEYS[3], ARGV[1], tag)
redis.call('HSET', KEYS[2], tag,
  '[' .. raw .. ',' .. cjson.encode(ex) .. ',' .. cjson.encode(rk) .. ']')
return {raw, tag}
",
    )
}
// ANCHOR_END: pop

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

//! Chapter 4 · Faults: the examples' set-up never throws away work on a
//! broker it did not start.

use ch04::celery::client::Client;
use ch04::setup::Setup;
use ch04::tasks::echo;
use workbench::services::RedisServer;

#[test]
fn a_client_of_a_given_broker_purges_nothing() {
    let redis = RedisServer::start().expect("redis-server");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let someone = runtime
        .block_on(Client::connect(&redis.url(), "celery"))
        .expect("conn");
    runtime
        .block_on(someone.send(echo::new("someone else's".into())))
        .expect("sent");
    let program = env!("CARGO_BIN_EXE_worker").into();
    let setup = Setup::with_worker(Some(&redis.url()), program).expect("a set-up");
    let (_rt, _client) = setup.client().expect("a client");
    let left = runtime.block_on(someone.queued()).expect("llen");
    assert_eq!(left, 1, "the example purged a queue it does not own");
}

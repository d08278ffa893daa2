//! Chapter 7 · Fault injection on the real services: a TCP proxy that adds
//! latency on demand.
//!
//! Workers connect to the proxy instead of the broker; every chunk of bytes
//! that crosses it, either way, waits the current delay first. Setting the
//! delay during a run turns a fast loopback link into a slow one without
//! touching the programs at either end.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How long connecting to the upstream server may take.
const CONNECT_DEADLINE: Duration = Duration::from_secs(5);

/// A running proxy; dropping it stops accepting (open links end with the
/// runtime that runs them).
#[derive(Debug)]
pub struct FaultProxy {
    addr: SocketAddr,
    delay_us: Arc<AtomicU64>,
    accepting: JoinHandle<()>,
}

// ANCHOR: proxy
impl FaultProxy {
    /// Listen on a free loopback port and forward to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let delay_us = Arc::new(AtomicU64::new(0));
        let delay = Arc::clone(&delay_us);
        let accepting = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(link(client, upstream, Arc::clone(&delay)));
            }
        });
        Ok(FaultProxy {
            addr,
            delay_us,
            accepting,
        })
    }

    /// Delay every chunk from now on by `delay` (zero: no fault).
    pub fn set_delay(&self, delay: Duration) {
        let micros = u64::try_from(delay.as_micros()).unwrap_or(u64::MAX);
        self.delay_us.store(micros, Ordering::Relaxed);
    }
}

// ANCHOR_END: proxy

// ANCHOR: pump
/// One client connection: two pumps, one each way, until either side closes.
async fn link(client: TcpStream, upstream: SocketAddr, delay: Arc<AtomicU64>) {
    let connect =
        tokio::time::timeout(CONNECT_DEADLINE, TcpStream::connect(upstream));
    let Ok(Ok(server)) = connect.await else {
        return; // the client sees its connection closed, as with a dead server
    };
    let (client_rx, client_tx) = client.into_split();
    let (server_rx, server_tx) = server.into_split();
    let up = tokio::spawn(pump(client_rx, server_tx, Arc::clone(&delay)));
    pump(server_rx, client_tx, delay).await;
    up.abort();
}

async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    delay: Arc<AtomicU64>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    while let Ok(n @ 1..) = from.read(&mut buf).await {
        let wait = delay.load(Ordering::Relaxed);
        if wait > 0 {
            tokio::time::sleep(Duration::from_micros(wait)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
}
// ANCHOR_END: pump

impl FaultProxy {
    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A Redis URL through the proxy (database 0).
    pub fn redis_url(&self) -> String {
        format!("redis://{}/0", self.addr)
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

/// The address of a Redis URL of the form `redis://HOST:PORT/DB`.
pub fn redis_addr(url: &str) -> Result<SocketAddr> {
    let rest = url.strip_prefix("redis://").context("not a redis:// URL")?;
    let host_port = rest.split('/').next().unwrap_or(rest);
    host_port
        .parse()
        .with_context(|| format!("`{host_port}` is not an IP address and port"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server that answers each line with the line, upper-cased.
    async fn shouting_server() -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 64];
                    while let Ok(n @ 1..) = stream.read(&mut buf).await {
                        let loud = buf[..n].to_ascii_uppercase();
                        if stream.write_all(&loud).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        addr
    }

    async fn ask(stream: &mut TcpStream, line: &str) -> String {
        stream.write_all(line.as_bytes()).await.expect("sent");
        let mut buf = vec![0u8; line.len()];
        stream.read_exact(&mut buf).await.expect("answered");
        String::from_utf8_lossy(&buf).into_owned()
    }

    #[tokio::test]
    async fn bytes_cross_the_proxy_both_ways_with_and_without_a_delay() {
        let proxy = FaultProxy::start(shouting_server().await)
            .await
            .expect("proxy");
        let mut stream = TcpStream::connect(proxy.addr()).await.expect("connects");
        assert_eq!(ask(&mut stream, "ping\n").await, "PING\n");
        proxy.set_delay(Duration::from_millis(5));
        assert_eq!(ask(&mut stream, "slow\n").await, "SLOW\n");
        proxy.set_delay(Duration::ZERO);
        assert_eq!(ask(&mut stream, "fast\n").await, "FAST\n");
    }

    #[test]
    fn a_redis_url_names_its_address() {
        let addr = redis_addr("redis://127.0.0.1:6380/0").expect("parsed");
        assert_eq!(addr.port(), 6380);
        assert!(redis_addr("amqp://127.0.0.1:5672").is_err());
    }
}

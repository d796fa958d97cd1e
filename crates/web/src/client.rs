//! The client's address: the peer of the TCP connection, or — when that peer is a trusted
//! reverse proxy — the address the proxy names in `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

use crate::AppState;

/// Who is at the other end: the client's address, when the server knows it (a router served
/// without connection information, as in some tools, does not), and the browser's `User-Agent`
/// for the person's list of sessions.
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_canonical())
            .map(|peer| client_of(peer, &parts.headers, &st.config.trusted_proxies));
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok(Client { ip, user_agent })
    }
}

/// Walks `X-Forwarded-For` from the right (the hop nearest to us) while the hop is a trusted
/// proxy; the first hop that is not is the client. A header from an untrusted peer is ignored,
/// since anyone can send one.
pub fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|h| h.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !trusted.contains(&hop) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &str) -> HeaderMap {
        let mut m = HeaderMap::new();
        m.insert("x-forwarded-for", v.parse().unwrap());
        m
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "192.0.2.7".parse().unwrap();
        let other: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(client_of(client, &h("203.0.113.9"), &[proxy]), client);
        assert_eq!(client_of(proxy, &h("192.0.2.7"), &[proxy]), client);
        // A client-sent left part is not believed: the proxy appended the real peer.
        assert_eq!(
            client_of(proxy, &h("198.51.100.1, 192.0.2.7"), &[proxy]),
            client
        );
        // Two proxies in a row are skipped.
        let inner: IpAddr = "10.0.0.3".parse().unwrap();
        assert_eq!(
            client_of(proxy, &h("198.51.100.1, 10.0.0.3"), &[proxy, inner]),
            other
        );
        // A garbled header leaves the proxy as the client rather than guessing.
        assert_eq!(client_of(proxy, &h("nonsense"), &[proxy]), proxy);
    }
}

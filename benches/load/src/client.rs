//! One keep-alive HTTP/1.1 connection to the server under test, on hyper's connection-level client:
//! each worker of a scenario owns one, so the number of connections is exactly the one asked for.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The server under test: where to connect and what to send as `Host`.
#[derive(Clone, Debug)]
pub struct Target {
    /// The socket address connected to.
    pub addr: SocketAddr,
    /// `host:port` as given in the URL, sent as the `Host` header.
    pub authority: String,
    /// The bearer token sent with every request but `GET /health`, when there is one.
    pub token: Option<String>,
    /// How long one request (or one connection attempt) may take before it counts as an error.
    pub timeout: Duration,
}

impl Target {
    /// The target of `url` (`http://host:port`), which must resolve to a loopback address: this
    /// tool loads only a server on the same machine.
    pub async fn resolve(
        url: &str,
        token: Option<String>,
        timeout: Duration,
    ) -> Result<Self, String> {
        let uri: Uri = url
            .parse()
            .map_err(|_| format!("`{url}` is not a URL (expected http://127.0.0.1:PORT)"))?;
        if uri.scheme_str() != Some("http") {
            return Err(format!("`{url}`: only http:// URLs are supported"));
        }
        let Some(authority) = uri.authority().map(ToString::to_string) else {
            return Err(format!("`{url}` names no host"));
        };
        let authority = if uri.port().is_some() {
            authority
        } else {
            format!("{authority}:80")
        };
        let addr = tokio::net::lookup_host(&authority)
            .await
            .map_err(|error| format!("cannot resolve `{authority}`: {error}"))?
            .next()
            .ok_or_else(|| format!("`{authority}` resolves to no address"))?;
        if !addr.ip().is_loopback() {
            return Err(format!(
                "`{authority}` is not a loopback address: this tool loads only a server on this machine"
            ));
        }
        Ok(Self {
            addr,
            authority,
            token,
            timeout,
        })
    }
}

/// An answer: its status and its whole body.
pub struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body, read to its end.
    pub body: Bytes,
}

/// One open connection; requests on it go one after the other.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
    target: Target,
}

impl Connection {
    /// Opens a connection to `target` (TCP, no delay, then the HTTP/1.1 handshake).
    pub async fn open(target: &Target) -> Result<Self, String> {
        let connect = async {
            let stream = TcpStream::connect(target.addr)
                .await
                .map_err(|error| format!("connect: {error}"))?;
            stream
                .set_nodelay(true)
                .map_err(|error| format!("TCP_NODELAY: {error}"))?;
            let (sender, connection) = http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|error| format!("handshake: {}", chain(&error)))?;
            // Drives the connection; it ends when the server or the sender closes it.
            tokio::spawn(connection);
            Ok::<_, String>(sender)
        };
        let sender = tokio::time::timeout(target.timeout, connect)
            .await
            .map_err(|_| format!("connect: no connection within {:?}", target.timeout))??;
        Ok(Self {
            sender,
            target: target.clone(),
        })
    }

    /// Whether the connection can take no more requests (the server closed it).
    pub fn is_closed(&self) -> bool {
        self.sender.is_closed()
    }

    /// Sends one request (`body` as JSON when given) and reads the whole answer, within the
    /// target's timeout.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Answer, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(HOST, &self.target.authority);
        if let Some(token) = &self.target.token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let payload = match body {
            Some(body) => {
                request = request.header(CONTENT_TYPE, "application/json");
                Bytes::from(body.to_string())
            }
            None => Bytes::new(),
        };
        let request = request
            .body(Full::new(payload))
            .map_err(|error| format!("request {path}: {error}"))?;
        let exchange = async {
            self.sender
                .ready()
                .await
                .map_err(|error| format!("connection: {}", chain(&error)))?;
            let response = self
                .sender
                .send_request(request)
                .await
                .map_err(|error| format!("send: {}", chain(&error)))?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|error| format!("body: {}", chain(&error)))?
                .to_bytes();
            Ok::<_, String>(Answer { status, body })
        };
        tokio::time::timeout(self.target.timeout, exchange)
            .await
            .map_err(|_| format!("timeout: no answer within {:?}", self.target.timeout))?
    }
}

/// An error and its causes, `outer: inner: ...` (hyper's own message is often only the outer one).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}

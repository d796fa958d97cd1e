//! `serva bench`'s chat figure, and the chat client the connection figure shares: a customer
//! and an agent talk over the chat's real WebSockets (`/chat/{id}/ws`), as `/static/chat.js`
//! does in a browser. On PostgreSQL the customer is on one `serve` node and the agent on
//! another, so each message crosses between the nodes through the database's notifications.
//! The figure is the time from a message's send on one side to its arrival on the other.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The service the bench's chats are opened on (Kontakt Linköping's questions).
const SERVICE: &str = "KL-FRAGA";
/// How long a frame may take before the bench gives up.
const PATIENCE: Duration = Duration::from_secs(10);

/// A signed-in person: the session cookie and its CSRF token.
#[derive(Clone)]
pub struct Person {
    pub cookie: String,
    pub csrf: String,
}

/// An HTTP client that shows redirects rather than following them.
pub fn http() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

/// Posts a form as `who` (with the CSRF token); the `Location` of its 303.
async fn post_form(
    http: &reqwest::Client,
    url: &str,
    who: &Person,
    fields: &[(&str, &str)],
) -> anyhow::Result<String> {
    let mut all = fields.to_vec();
    all.push(("_csrf", &who.csrf));
    let r = http
        .post(url)
        .header("cookie", &who.cookie)
        .form(&all)
        .send()
        .await
        .with_context(|| format!("POST {url}"))?;
    if r.status() != reqwest::StatusCode::SEE_OTHER {
        bail!("POST {url} answered {}", r.status());
    }
    Ok(r.headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_string())
}

/// `customer` opens a chat at the server at `base`; its id.
pub async fn open_chat(
    http: &reqwest::Client,
    base: &str,
    customer: &Person,
    question: &str,
) -> anyhow::Result<i64> {
    let url = format!("{base}/portal/services/{SERVICE}/chat");
    let location = post_form(http, &url, customer, &[("body", question)]).await?;
    location
        .trim_start_matches("/chat/")
        .split(['#', '?'])
        .next()
        .and_then(|id| id.parse().ok())
        .with_context(|| format!("opening a chat led to {location:?}"))
}

/// `agent` takes chat `id` at the server at `base`.
pub async fn take_chat(
    http: &reqwest::Client,
    base: &str,
    agent: &Person,
    id: i64,
) -> anyhow::Result<()> {
    post_form(http, &format!("{base}/chat/{id}/take"), agent, &[]).await?;
    Ok(())
}

/// `who` writes in chat `id` through the page's form (as without JavaScript).
pub async fn post_message(
    http: &reqwest::Client,
    base: &str,
    who: &Person,
    id: i64,
    client_id: &str,
    body: &str,
) -> anyhow::Result<()> {
    let url = format!("{base}/chat/{id}/messages");
    post_form(http, &url, who, &[("client_id", client_id), ("body", body)]).await?;
    Ok(())
}

/// Ends chat `id` as `who`, resolving its case.
pub async fn end_chat(
    http: &reqwest::Client,
    base: &str,
    who: &Person,
    id: i64,
) -> anyhow::Result<()> {
    post_form(
        http,
        &format!("{base}/chat/{id}/end"),
        who,
        &[("resolve", "1")],
    )
    .await?;
    Ok(())
}

/// Opens chat `id`'s WebSocket at `base` with `cookie`, reads its first frame (the chat's
/// state) and resumes after the last message, so only new messages come.
pub async fn socket(base: &str, id: i64, cookie: &str) -> anyhow::Result<Ws> {
    let url = format!("{}/chat/{id}/ws", base.replacen("http://", "ws://", 1));
    let mut req = url.as_str().into_client_request()?;
    req.headers_mut().insert("cookie", cookie.parse()?);
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .with_context(|| format!("opening {url}"))?;
    let state = next_frame(&mut ws).await?;
    if state["type"] != "state" {
        bail!("the chat socket began with {state}");
    }
    let after = state["last_seq"].as_i64().unwrap_or(0);
    send(&mut ws, &json!({ "type": "resume", "after": after })).await?;
    Ok(ws)
}

async fn send<S>(w: &mut S, frame: &Value) -> anyhow::Result<()>
where
    S: SinkExt<Message> + Unpin,
    S::Error: std::error::Error + Send + Sync + 'static,
{
    w.send(Message::Text(frame.to_string().into())).await?;
    Ok(())
}

/// The next JSON frame of a socket.
pub async fn next_frame(ws: &mut Ws) -> anyhow::Result<Value> {
    tokio::time::timeout(PATIENCE, async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(&t)?),
                Some(Ok(Message::Close(_))) | None => bail!("the chat socket closed"),
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e.into()),
            }
        }
    })
    .await
    .context("no frame from the chat socket")?
}

/// Reads a socket's frames as they arrive, each with the moment it arrived, until it closes.
pub fn arrivals(mut r: SplitStream<Ws>) -> mpsc::UnboundedReceiver<(Instant, Value)> {
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(Ok(m)) = r.next().await {
            if let Message::Text(t) = m {
                let at = Instant::now();
                if let Ok(v) = serde_json::from_str::<Value>(&t) {
                    if tx.send((at, v)).is_err() {
                        return;
                    }
                }
            }
        }
    });
    rx
}

/// One side of the measured conversation.
struct Side {
    w: SplitSink<Ws, Message>,
    rx: mpsc::UnboundedReceiver<(Instant, Value)>,
}

/// Sends message `i` from `from`; milliseconds until `to` has it.
async fn one(from: &mut Side, to: &mut Side, i: usize) -> anyhow::Result<f64> {
    let body = format!("Mätning {i}");
    let frame = json!({ "type": "send", "client_id": format!("bench-{i}"), "body": body });
    let sent = Instant::now();
    send(&mut from.w, &frame).await?;
    let arrived = tokio::time::timeout(PATIENCE, async {
        while let Some((at, f)) = to.rx.recv().await {
            if f["type"] == "message" && f["body"] == body.as_str() {
                return Ok(at);
            }
            if f["type"] == "error" {
                bail!("the chat socket answered {f}");
            }
        }
        bail!("the chat socket closed")
    })
    .await
    .with_context(|| format!("message {i} did not arrive"))??;
    // The sender's own acknowledgement and copy: read, and any error said.
    while let Ok((_, f)) = from.rx.try_recv() {
        if f["type"] == "error" {
            bail!("the chat socket answered {f}");
        }
    }
    Ok(arrived.duration_since(sent).as_secs_f64() * 1000.0)
}

/// Milliseconds from send to arrival of `each_way` messages from the customer (on the server
/// at `customer_base`) to the agent (at `agent_base`) and as many back, alternating, one at a
/// time; sorted. A few messages first warm the way up and are not counted.
pub async fn delivery(
    customer_base: &str,
    agent_base: &str,
    customer: &Person,
    agent: &Person,
    each_way: usize,
) -> anyhow::Result<Vec<f64>> {
    const WARM_UP: usize = 10;
    let http = http()?;
    let chat = open_chat(
        &http,
        customer_base,
        customer,
        "Bänktest: chatt mellan noder",
    )
    .await?;
    take_chat(&http, agent_base, agent, chat).await?;
    let (w, r) = socket(customer_base, chat, &customer.cookie).await?.split();
    let mut c = Side { w, rx: arrivals(r) };
    let (w, r) = socket(agent_base, chat, &agent.cookie).await?.split();
    let mut a = Side { w, rx: arrivals(r) };
    let mut ms = Vec::with_capacity(2 * each_way);
    for i in 0..2 * (WARM_UP + each_way) {
        let t = if i % 2 == 0 {
            one(&mut c, &mut a, i).await?
        } else {
            one(&mut a, &mut c, i).await?
        };
        if i >= 2 * WARM_UP {
            ms.push(t);
        }
    }
    end_chat(&http, agent_base, agent, chat).await?;
    ms.sort_by(f64::total_cmp);
    Ok(ms)
}

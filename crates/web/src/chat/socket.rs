//! The WebSocket `/static/chat.js` upgrades a chat page to: it subscribes to the event bus and,
//! on an event of its chat, reads what is new through the application layer's access rules
//! and sends it; after a lost notification, a lagging subscriber or a reconnect it reads
//! everything after the last sequence number it sent.

use std::net::IpAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serva_app::AppError;
use serva_domain::chat::{
    parse_client_frame, ChatId, ClientFrame, ProtocolError, ServerFrame, FRAME_MAX,
};
use serva_domain::event::Event;
use tokio::sync::broadcast::error::RecvError;

use crate::auth::MaybeAuth;
use crate::client::Client;
use crate::error::PageError;
use crate::forms::same_origin;
use crate::AppState;

use super::{bad_id, Party};

/// The WebSocket of a chat. Refused (before the upgrade) to other sites and to anyone who may
/// not take part; the first frame the server sends is the chat's state.
pub(super) async fn socket(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    client: Client,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> Result<Response, PageError> {
    let id = bad_id(&id)?;
    // Browsers send cookies with a WebSocket from any site; the origin tells them apart.
    if !same_origin(&headers) {
        return Err(PageError::forbidden());
    }
    let Some(party) = Party::of(auth.s.as_deref(), &headers, id) else {
        return Err(PageError::not_found());
    };
    st.app.chat_access(party.as_party(), id).await?;
    let limited_ip = match party {
        Party::Visitor(_) => client.ip,
        Party::Person(_) => None,
    };
    Ok(ws
        .max_message_size(FRAME_MAX)
        .max_frame_size(FRAME_MAX)
        .read_buffer_size(SOCKET_READ_BUFFER)
        .on_upgrade(move |socket| run_socket(st, party, id, limited_ip, socket)))
}

/// The read buffer a chat socket starts with. The WebSocket library's default (128 KiB) is
/// filled with zeros before its first read, so every open socket held that much memory; chat
/// frames are small, and a larger one (at most `FRAME_MAX`) grows the buffer for itself.
const SOCKET_READ_BUFFER: usize = 4 * 1024;

/// Why a socket stops.
enum Stop {
    Closed,
    Failed(String),
}

struct Conn {
    st: AppState,
    party: Party,
    id: ChatId,
    socket: WebSocket,
    /// The last sequence number sent; `None` until the client has said where it is (`resume`).
    sent: Option<i64>,
    /// A citizen's address, whose messages are limited; none for a signed-in person.
    limited_ip: Option<IpAddr>,
}

impl Conn {
    async fn send(&mut self, f: &ServerFrame) -> Result<(), Stop> {
        self.socket
            .send(Message::Text(f.to_json().into()))
            .await
            .map_err(|_| Stop::Closed)
    }

    async fn state(&mut self) -> Result<(), Stop> {
        let (chat, _) = self
            .st
            .app
            .chat_access(self.party.as_party(), self.id)
            .await
            .map_err(|e| Stop::Failed(e.to_string()))?;
        let case = self
            .st
            .db
            .case(chat.case_id)
            .await
            .map_err(|e| Stop::Failed(e.to_string()))?;
        self.send(&ServerFrame::State {
            state: chat.state,
            case: case.number().to_string(),
            agent: chat.agent_name,
            last_seq: chat.last_seq,
        })
        .await
    }

    /// Sends everything after the last number sent (in pages, until nothing is left).
    async fn catch_up(&mut self) -> Result<(), Stop> {
        while let Some(after) = self.sent {
            let msgs = match self
                .st
                .app
                .chat_messages_after(self.party.as_party(), self.id, after)
                .await
            {
                Ok(Ok(m)) => m,
                Ok(Err(e)) => return self.send(&ServerFrame::error(&e)).await,
                Err(e) => return Err(Stop::Failed(e.to_string())),
            };
            let Some(last) = msgs.last().map(|m| m.seq) else {
                return Ok(());
            };
            for m in &msgs {
                self.send(&ServerFrame::message(m)).await?;
            }
            self.sent = Some(last);
        }
        Ok(())
    }

    async fn frame(&mut self, text: &str) -> Result<(), Stop> {
        match parse_client_frame(text) {
            Err(e) => self.send(&ServerFrame::error(&e)).await,
            Ok(ClientFrame::Resume { after }) => {
                let (chat, _) = self
                    .st
                    .app
                    .chat_access(self.party.as_party(), self.id)
                    .await
                    .map_err(|e| Stop::Failed(e.to_string()))?;
                if let Err(e) = serva_domain::chat::check_resume(after, chat.last_seq) {
                    return self.send(&ServerFrame::error(&e)).await;
                }
                self.sent = Some(after);
                self.catch_up().await
            }
            Ok(ClientFrame::Send { client_id, body }) => {
                if self
                    .limited_ip
                    .is_some_and(|ip| !self.st.chat_limits.may_send(ip))
                {
                    return self
                        .send(&ServerFrame::error(&ProtocolError::TooFast))
                        .await;
                }
                match self
                    .st
                    .app
                    .post_chat(self.party.as_party(), self.id, &client_id, &body)
                    .await
                {
                    Ok(Ok((m, _))) => {
                        self.send(&ServerFrame::Ack {
                            client_id,
                            seq: m.seq,
                        })
                        .await?;
                        // Our own event brings the message itself; reading now saves a turn.
                        self.catch_up().await
                    }
                    Ok(Err(e)) => self.send(&ServerFrame::error(&e)).await,
                    Err(AppError::Unavailable(m)) => {
                        self.send(&ServerFrame::Error {
                            code: "unavailable".into(),
                            message: m,
                        })
                        .await
                    }
                    Err(e) => Err(Stop::Failed(e.to_string())),
                }
            }
        }
    }
}

async fn run_socket(
    st: AppState,
    party: Party,
    id: ChatId,
    limited_ip: Option<IpAddr>,
    socket: WebSocket,
) {
    let mut rx = st.app.events().subscribe();
    let mut c = Conn {
        st,
        party,
        id,
        socket,
        sent: None,
        limited_ip,
    };
    // A notification lost between nodes is caught by this: the socket also reads on a timer.
    let mut tick = tokio::time::interval(Duration::from_secs(15));
    tick.tick().await;
    let result: Result<(), Stop> = async {
        c.state().await?;
        loop {
            tokio::select! {
                m = c.socket.recv() => match m {
                    None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return Ok(()),
                    Some(Ok(Message::Text(t))) => c.frame(t.as_str()).await?,
                    Some(Ok(Message::Binary(_))) => {
                        c.send(&ServerFrame::error(&ProtocolError::BadFrame("frames are JSON text".into()))).await?
                    }
                    Some(Ok(_)) => {}
                },
                e = rx.recv() => match e {
                    Ok(e) if e.chat() == Some(id) => {
                        if !matches!(e, Event::ChatMessage { .. }) {
                            c.state().await?;
                        }
                        c.catch_up().await?;
                    }
                    Ok(Event::Missed) | Err(RecvError::Lagged(_)) => {
                        c.state().await?;
                        c.catch_up().await?;
                    }
                    Ok(_) => {}
                    Err(RecvError::Closed) => return Ok(()),
                },
                _ = tick.tick() => {
                    c.catch_up().await?;
                    c.socket.send(Message::Ping(Bytes::new())).await.map_err(|_| Stop::Closed)?;
                }
            }
        }
    }
    .await;
    if let Err(Stop::Failed(e)) = result {
        tracing::warn!(chat = id.0, error = %e, "a chat socket stopped");
        let _ = c
            .send(&ServerFrame::Error {
                code: "failed".into(),
                message: "the server could not go on; reconnect".into(),
            })
            .await;
    }
}

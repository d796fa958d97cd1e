//! Chat over HTTP: the pages (plain forms that work without JavaScript), the WebSocket that
//! `/static/chat.js` upgrades them to, and the per-address limits for citizens without an
//! account.
//!
//! A WebSocket subscribes to the event bus; on an event of its chat (from this node, or from
//! another `serve` process through PostgreSQL) it reads what is new through the application
//! layer's access rules and sends it. Sequence numbers make this safe to repeat: after a lost
//! notification (`Event::Missed`), a lagging subscriber or a reconnect, the socket simply reads
//! everything after the last number it sent. The socket is in `socket`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serva_app::chat::{ChatParty, VisitorChat};
use serva_app::AppError;
use serva_domain::access::Principal;
use serva_domain::chat::{ChatId, ProtocolError};
use serva_views::pages::chat::{chat_page, queue_page, start_page, ChatPage, StartInput};
use serva_views::Ctx;

use crate::auth::{cookie, Auth, MaybeAuth, Session};
use crate::client::Client;
use crate::error::PageError;
use crate::forms::{parse_body, same_origin, FormPost};
use crate::AppState;

mod socket;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/chat", get(start).post(open_visitor))
        .route("/portal/services/{code}/chat", post(open_customer))
        .route("/chat/{id}", get(view))
        .route("/chat/{id}/messages", post(send))
        .route("/chat/{id}/take", post(take))
        .route("/chat/{id}/end", post(end))
        .route("/chat/{id}/survey", post(answer_survey))
        .route("/chat/{id}/ws", get(socket::socket))
        .route("/queues/{code}/chats", get(queue))
        .route("/static/chat.js", get(chat_js))
        .route("/static/live.js", get(live_js))
        .merge(crate::live::routes())
}

/// Chats a citizen's address may open, and messages it may send, per window; a signed-in
/// person is not limited here (their session is).
const OPENS_PER_WINDOW: u32 = 5;
const OPEN_WINDOW: Duration = Duration::from_secs(10 * 60);
const SENDS_PER_WINDOW: u32 = 30;
const SEND_WINDOW: Duration = Duration::from_secs(60);
/// Addresses remembered before the oldest windows are swept.
const MAX_TRACKED: usize = 10_000;

/// Per-address counters of this node (each node counts its own: a limit against floods from
/// one address, not an exact quota).
#[derive(Default)]
pub struct ChatLimits {
    opens: Mutex<HashMap<IpAddr, (Instant, u32)>>,
    sends: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl ChatLimits {
    fn allow(
        map: &Mutex<HashMap<IpAddr, (Instant, u32)>>,
        ip: IpAddr,
        max: u32,
        window: Duration,
    ) -> bool {
        let now = Instant::now();
        let mut m = map.lock().expect("not poisoned");
        if m.len() >= MAX_TRACKED {
            m.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let e = m.entry(ip).or_insert((now, 0));
        if now.duration_since(e.0) >= window {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= max
    }

    pub fn may_open(&self, ip: IpAddr) -> bool {
        Self::allow(&self.opens, ip, OPENS_PER_WINDOW, OPEN_WINDOW)
    }

    pub fn may_send(&self, ip: IpAddr) -> bool {
        Self::allow(&self.sends, ip, SENDS_PER_WINDOW, SEND_WINDOW)
    }
}

/// The cookie that holds a citizen's visitor token for chat `id`, sent only to that chat's URLs.
fn visitor_cookie_name(id: ChatId) -> String {
    format!("serva_chat_{}", id.0)
}

fn visitor_cookie(st: &AppState, id: ChatId, token: &str) -> String {
    let mut c = format!(
        "{}={token}; Path=/chat/{}; HttpOnly; SameSite=Strict; Max-Age={}",
        visitor_cookie_name(id),
        id.0,
        24 * 3600
    );
    if st.config.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

/// Who is asking about chat `id`: the signed-in person, or the holder of its visitor token.
#[derive(Clone)]
enum Party {
    Person(Box<Principal>),
    Visitor(String),
}

impl Party {
    fn of(session: Option<&Session>, headers: &HeaderMap, id: ChatId) -> Option<Party> {
        if let Some(token) = cookie(headers, &visitor_cookie_name(id)) {
            return Some(Party::Visitor(token.to_string()));
        }
        session.map(|s| Party::Person(Box::new(s.principal.clone())))
    }

    fn as_party(&self) -> ChatParty<'_> {
        match self {
            Party::Person(p) => ChatParty::Person(p),
            Party::Visitor(t) => ChatParty::Visitor(t),
        }
    }
}

fn bad_id(s: &str) -> Result<ChatId, PageError> {
    crate::pages::parse_id(s)
        .map(ChatId)
        .ok_or_else(PageError::not_found)
}

/// A fresh client id for the next message of a form, so a form sent twice stores it once.
fn form_client_id() -> String {
    format!("form-{}", serva_store::secrets::random_handle())
}

/// The public page: start a chat without an account.
async fn start(State(st): State<AppState>, auth: MaybeAuth) -> Result<Response, PageError> {
    let services = st.app.open_services(&Default::default()).await?;
    Ok(start_page(&auth.cx, &services, &StartInput::default()).into_response())
}

/// A citizen opens a chat: limited per address, then sent to the chat with its visitor cookie.
async fn open_visitor(
    State(st): State<AppState>,
    auth: MaybeAuth,
    client: Client,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let cx = &auth.cx;
    if !same_origin(&headers) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            cx.t(
                "Formuläret kom från en annan webbplats.",
                "The form came from another site.",
            ),
        ));
    }
    let f = parse_body(body).await?;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let input = StartInput {
        service: get("service"),
        name: get("name"),
        email: get("email"),
        body: get("body"),
        error: None,
    };
    if let Some(ip) = client.ip {
        if !st.chat_limits.may_open(ip) {
            return Err(PageError::new(
                StatusCode::TOO_MANY_REQUESTS,
                cx.t(
                    "Du har startat många chattar på kort tid. Vänta en stund och försök igen.",
                    "You have started many chats in a short time. Wait a while and try again.",
                ),
            ));
        }
    }
    let r = VisitorChat {
        service: input.service.clone(),
        name: input.name.clone(),
        email: input.email.clone(),
        body: input.body.clone(),
    };
    match st.app.open_visitor_chat(&r).await {
        Ok(opened) => {
            let id = opened.chat.id;
            Ok((
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, format!("/chat/{}", id.0)),
                    (header::SET_COOKIE, visitor_cookie(&st, id, &opened.token)),
                ],
            )
                .into_response())
        }
        Err(AppError::NotFound(_) | AppError::Invalid(_)) => {
            let services = st.app.open_services(&Default::default()).await?;
            let input = StartInput {
                error: Some(
                    cx.t(
                        "Välj vad det gäller, skriv ditt namn, en giltig e-postadress om du anger någon, och din fråga (högst 4 000 tecken).",
                        "Choose what it is about, and write your name, a valid e-mail address if you give one, and your question (at most 4,000 characters).",
                    )
                    .to_string(),
                ),
                ..input
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                start_page(cx, &services, &input),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A signed-in customer opens a chat from a service's page.
async fn open_customer(
    State(st): State<AppState>,
    Path(code): Path<String>,
    form: FormPost,
) -> Result<Response, PageError> {
    let chat = st
        .app
        .open_chat(&form.auth.s.principal, &code, form.get("body"))
        .await
        .map_err(|e| match e {
            AppError::Invalid(_) => PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                form.auth.cx.t(
                    "Skriv din fråga (högst 4 000 tecken).",
                    "Write your question (at most 4,000 characters).",
                ),
            ),
            e => e.into(),
        })?;
    Ok(Redirect::to(&format!("/chat/{}", chat.id.0)).into_response())
}

async fn render(
    st: &AppState,
    cx: &Ctx,
    party: &Party,
    id: ChatId,
    error: Option<String>,
) -> Result<Response, PageError> {
    let v = st.app.chat_view(party.as_party(), id).await?;
    let survey = st.app.chat_survey(party.as_party(), id).await?;
    let client_id = form_client_id();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = chat_page(
        cx,
        &ChatPage {
            chat: &v.chat,
            case_number: v.case.number().to_string(),
            side: v.side,
            messages: &v.messages,
            client_id: &client_id,
            error,
            survey: survey.map(|s| (s.scale, s.status)),
            unit_name: &v.case.unit_name,
        },
    );
    Ok((status, page).into_response())
}

async fn view(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = bad_id(&id)?;
    let Some(party) = Party::of(auth.s.as_deref(), &headers, id) else {
        return Ok(Redirect::to(&format!("/login?next=/chat/{}", id.0)).into_response());
    };
    render(&st, &auth.cx, &party, id, None).await
}

/// A form post on a chat: by a signed-in person (CSRF-checked), or by the holder of the
/// chat's visitor cookie (which is `SameSite=Strict`, and the origin must be ours).
struct ChatForm {
    cx: Ctx,
    party: Party,
    fields: HashMap<String, String>,
    ip: Option<IpAddr>,
}

async fn chat_form(
    auth: &MaybeAuth,
    headers: &HeaderMap,
    client: &Client,
    id: ChatId,
    body: Bytes,
) -> Result<ChatForm, PageError> {
    let cx = auth.cx.clone();
    if !same_origin(headers) {
        return Err(PageError::new(
            StatusCode::FORBIDDEN,
            cx.t(
                "Formuläret kom från en annan webbplats.",
                "The form came from another site.",
            ),
        ));
    }
    let fields = parse_body(body).await?;
    let Some(party) = Party::of(auth.s.as_deref(), headers, id) else {
        return Err(PageError::not_found());
    };
    if let (Party::Person(_), Some(s)) = (&party, auth.s.as_deref()) {
        let sent = fields.get("_csrf").map(String::as_str).unwrap_or("");
        let expected = s.csrf.as_deref().unwrap_or("");
        if expected.is_empty() || !serva_store::secrets::constant_time_eq(sent, expected) {
            return Err(PageError::new(
                StatusCode::FORBIDDEN,
                cx.t(
                    "Formuläret hade gått ut. Ladda om sidan och försök igen.",
                    "The form had expired. Reload the page and try again.",
                ),
            ));
        }
    }
    Ok(ChatForm {
        cx,
        party,
        fields,
        ip: client.ip,
    })
}

fn protocol_text(cx: &Ctx, e: &ProtocolError) -> String {
    match e {
        ProtocolError::ChatEnded => cx
            .t(
                "Chatten är avslutad. Meddelandet skickades inte.",
                "The chat has ended. The message was not sent.",
            )
            .into(),
        ProtocolError::EmptyBody => cx.t("Skriv ett meddelande.", "Write a message.").into(),
        ProtocolError::BodyTooLong(n) => match cx.lang {
            serva_views::Lang::Sv => format!(
                "Meddelandet är för långt ({n} tecken, högst {}).",
                serva_domain::chat::BODY_MAX
            ),
            serva_views::Lang::En => format!(
                "The message is too long ({n} characters, at most {}).",
                serva_domain::chat::BODY_MAX
            ),
        },
        ProtocolError::TooFast => cx
            .t(
                "Du skickar många meddelanden. Vänta en stund.",
                "You are sending many messages. Wait a moment.",
            )
            .into(),
        other => other.to_string(),
    }
}

async fn send(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    client: Client,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = bad_id(&id)?;
    let f = chat_form(&auth, &headers, &client, id, body).await?;
    let client_id = f.fields.get("client_id").cloned().unwrap_or_default();
    let text = f.fields.get("body").cloned().unwrap_or_default();
    if let (Party::Visitor(_), Some(ip)) = (&f.party, f.ip) {
        if !st.chat_limits.may_send(ip) {
            let msg = protocol_text(&f.cx, &ProtocolError::TooFast);
            return render(&st, &f.cx, &f.party, id, Some(msg)).await;
        }
    }
    match st
        .app
        .post_chat(f.party.as_party(), id, &client_id, &text)
        .await?
    {
        Ok(_) => Ok(Redirect::to(&format!("/chat/{}#chat-message", id.0)).into_response()),
        Err(e) => {
            let msg = protocol_text(&f.cx, &e);
            render(&st, &f.cx, &f.party, id, Some(msg)).await
        }
    }
}

async fn take(
    State(st): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    client: Client,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = bad_id(&id)?;
    let maybe = MaybeAuth {
        s: Some(auth.s.clone()),
        cx: auth.cx.clone(),
    };
    let f = chat_form(&maybe, &headers, &client, id, body).await?;
    match st.app.take_chat(&auth.s.principal, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/chat/{}", id.0)).into_response()),
        Err(AppError::Conflict(_)) => {
            let msg = f.cx.t(
                "En annan handläggare hann ta chatten, eller så är den avslutad.",
                "Another officer took the chat first, or it has ended.",
            );
            Err(PageError::new(StatusCode::CONFLICT, msg))
        }
        Err(e) => Err(e.into()),
    }
}

async fn end(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    client: Client,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = bad_id(&id)?;
    let f = chat_form(&auth, &headers, &client, id, body).await?;
    let resolve = f.fields.get("resolve").is_some_and(|v| v == "1");
    match st.app.end_chat(f.party.as_party(), id, resolve).await {
        // Ending twice (two tabs, a reload) leaves it ended: show it.
        Ok(_) | Err(AppError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/chat/{}", id.0)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The chat's customer answers its survey after it ended.
async fn answer_survey(
    State(st): State<AppState>,
    auth: MaybeAuth,
    headers: HeaderMap,
    client: Client,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let id = bad_id(&id)?;
    let f = chat_form(&auth, &headers, &client, id, body).await?;
    let Some(shown) = st.app.chat_survey(f.party.as_party(), id).await? else {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            f.cx.t(
                "Det finns ingen enkät att besvara för den här chatten.",
                "There is no survey to answer for this chat.",
            ),
        ));
    };
    let raw = crate::pages::surveys::raw_answer(&f.fields);
    if let Err(e) = raw.check(shown.scale) {
        let msg = crate::pages::surveys::answer_problem(&f.cx, &e);
        return render(&st, &f.cx, &f.party, id, Some(msg)).await;
    }
    match st.app.answer_in_chat(f.party.as_party(), id, &raw).await {
        Ok(_) | Err(AppError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/chat/{}#survey-heading", id.0)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn queue(
    State(st): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let (unit, chats) = st.app.chat_queue(&auth.s.principal, &code).await?;
    Ok(queue_page(&auth.cx, &unit, &chats, serva_domain::time::now_ms()).into_response())
}

const CHAT_JS: &str = include_str!("static/chat.js");
const LIVE_JS: &str = include_str!("static/live.js");

fn script(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

async fn chat_js() -> Response {
    script(CHAT_JS)
}

async fn live_js() -> Response {
    script(LIVE_JS)
}

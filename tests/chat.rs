//! Chat: a customer (signed in, or a citizen without an account) and an agent talk over real
//! WebSockets; the chat becomes a case; reconnecting resumes without loss or doubles; a resend
//! is stored once; an ended chat takes nothing. On PostgreSQL the customer and the agent sit on
//! two different app nodes.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::{redirect, StatusCode};
use serde_json::{json, Value};
use serva_domain::chat::ChatId;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::dual;
use crate::harness::{pg_url, App, Backend};

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Someone with cookies we hold ourselves, so the WebSocket can send them too.
pub struct Person {
    pub base: String,
    pub cookie: String,
    pub csrf: String,
    pub http: reqwest::Client,
}

impl Person {
    /// A signed-in session of `username` on the server at `base`.
    pub async fn signed_in(app: &App, base: &str, username: &str) -> Person {
        let user = app.db.user_by_username(username).await.unwrap();
        let s = app.db.create_session(user.id).await.unwrap();
        Person::with_cookie(base, format!("serva_session={}", s.raw_id), s.csrf_token)
    }

    pub fn with_cookie(base: &str, cookie: String, csrf: String) -> Person {
        Person {
            base: base.to_string(),
            cookie,
            csrf,
            http: reqwest::Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// Posts a form (with the CSRF token when there is one); status, body and `Location`.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let mut all = fields.to_vec();
        if !self.csrf.is_empty() {
            all.push(("_csrf", &self.csrf));
        }
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .form(&all)
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (r.status(), r.text().await.unwrap(), location)
    }

    /// Opens the chat's WebSocket.
    pub async fn socket(&self, chat: ChatId) -> Ws {
        let url = format!(
            "{}/chat/{}/ws",
            self.base.replace("http://", "ws://"),
            chat.0
        );
        let mut req = url.into_client_request().unwrap();
        req.headers_mut()
            .insert("cookie", self.cookie.parse().unwrap());
        let (ws, _) = tokio_tungstenite::connect_async(req)
            .await
            .expect("the WebSocket opens");
        ws
    }
}

pub async fn send(ws: &mut Ws, frame: Value) {
    ws.send(Message::Text(frame.to_string().into()))
        .await
        .unwrap();
}

/// The next JSON frame, within five seconds.
pub async fn next(ws: &mut Ws) -> Value {
    let m = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match ws.next().await.expect("the socket is open").unwrap() {
                Message::Text(t) => return serde_json::from_str::<Value>(&t).unwrap(),
                Message::Close(c) => panic!("closed: {c:?}"),
                _ => {}
            }
        }
    })
    .await
    .expect("a frame arrives within five seconds");
    m
}

/// The next frame of `kind`, skipping others.
pub async fn next_of(ws: &mut Ws, kind: &str) -> Value {
    loop {
        let f = next(ws).await;
        if f["type"] == kind {
            return f;
        }
        assert_ne!(
            f["type"], "error",
            "unexpected error while waiting for {kind}: {f}"
        );
    }
}

/// The message with sequence number `seq`, skipping earlier ones.
pub async fn message(ws: &mut Ws, seq: i64) -> Value {
    loop {
        let m = next_of(ws, "message").await;
        if m["seq"] == seq {
            return m;
        }
        assert!(m["seq"].as_i64() < Some(seq), "{m} came before {seq}");
    }
}

/// Nothing but state frames for `ms` milliseconds.
async fn quiet(ws: &mut Ws, ms: u64) {
    let got = tokio::time::timeout(Duration::from_millis(ms), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(&t).unwrap();
                    if v["type"] != "state" {
                        return v;
                    }
                }
                Some(Ok(_)) => {}
                other => panic!("socket ended: {other:?}"),
            }
        }
    })
    .await;
    if let Ok(v) = got {
        panic!("expected nothing, got {v}");
    }
}

fn chat_id(location: &str) -> ChatId {
    ChatId(
        location
            .trim_start_matches("/chat/")
            .split(['#', '?'])
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("a chat URL: {location:?}")),
    )
}

async fn message_count(app: &App, chat: ChatId) -> usize {
    app.db.chat_messages(chat, 0, 1_000).await.unwrap().len()
}

/// The whole conversation between `customer` and `agent` (who may be on different nodes).
async fn converse(app: &App, customer: &Person, agent: &Person) {
    let (s, _, location) = customer
        .post(
            "/portal/services/KL-FRAGA/chat",
            &[("body", "Hej! Var kan jag parkera vid stadshuset?")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "the chat opens");
    let chat = chat_id(&location);
    let c = app.db.chat(chat).await.unwrap();
    let case = app.db.case(c.case_id).await.unwrap();
    assert_eq!(case.channel, serva_domain::case::Channel::Chat);
    assert!(case.subject.starts_with("Chatt: Hej!"), "{}", case.subject);

    // The agent sees it waiting in the unit's chat queue.
    let (s, html) = agent.get(&format!("/queues/{}/chats", c.unit_code)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("/chat/{}/take", chat.0)), "{html}");

    let mut cws = customer.socket(chat).await;
    let st = next(&mut cws).await;
    assert_eq!(st["type"], "state", "{st}");
    assert_eq!(st["state"], "waiting");
    assert_eq!(st["case"], case.number().to_string());
    send(&mut cws, json!({ "type": "resume", "after": 0 })).await;
    let first = next_of(&mut cws, "message").await;
    assert_eq!(
        (first["seq"].as_i64(), first["from"].as_str()),
        (Some(1), Some("customer"))
    );

    let mut aws = agent.socket(chat).await;
    assert_eq!(next(&mut aws).await["type"], "state");
    send(&mut aws, json!({ "type": "resume", "after": 0 })).await;
    assert_eq!(next_of(&mut aws, "message").await["seq"], 1);

    // Taking the chat: both sides hear it.
    let (s, _, _) = agent.post(&format!("/chat/{}/take", chat.0), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let st = next_of(&mut cws, "state").await;
    assert_eq!(st["state"], "active", "{st}");
    assert!(st["agent"].is_string(), "{st}");
    let (s, _, _) = agent.post(&format!("/chat/{}/take", chat.0), &[]).await;
    assert_eq!(s, StatusCode::CONFLICT, "a chat is taken once");

    // Messages both ways, each with the next number.
    send(
        &mut aws,
        json!({ "type": "send", "client_id": "a-1", "body": "Hej! Bakom huset finns platser." }),
    )
    .await;
    assert_eq!(
        next_of(&mut aws, "ack").await,
        json!({ "type": "ack", "client_id": "a-1", "seq": 2 })
    );
    let m = next_of(&mut cws, "message").await;
    assert_eq!(
        (m["seq"].as_i64(), m["from"].as_str()),
        (Some(2), Some("agent")),
        "{m}"
    );
    assert_eq!(m["body"], "Hej! Bakom huset finns platser.");

    send(
        &mut cws,
        json!({ "type": "send", "client_id": "c-1", "body": "Tack!" }),
    )
    .await;
    assert_eq!(next_of(&mut cws, "ack").await["seq"], 3);
    assert_eq!(message(&mut aws, 3).await["body"], "Tack!");

    // A resend with the same client_id: the first ack again, never a second message.
    send(
        &mut cws,
        json!({ "type": "send", "client_id": "c-1", "body": "Tack!" }),
    )
    .await;
    assert_eq!(
        next_of(&mut cws, "ack").await,
        json!({ "type": "ack", "client_id": "c-1", "seq": 3 })
    );
    send(
        &mut cws,
        json!({ "type": "send", "client_id": "c-1", "body": "Något annat" }),
    )
    .await;
    let e = next_of(&mut cws, "error").await;
    assert_eq!(e["code"], "client_id_reused", "{e}");
    assert_eq!(message_count(app, chat).await, 3);

    // Bad frames are answered with an error and the socket goes on.
    send(
        &mut cws,
        json!({ "type": "send", "client_id": "c-2", "body": "   " }),
    )
    .await;
    assert_eq!(next_of(&mut cws, "error").await["code"], "empty_body");
    cws.send(Message::Text("not json".into())).await.unwrap();
    assert_eq!(next_of(&mut cws, "error").await["code"], "bad_frame");
    send(&mut cws, json!({ "type": "resume", "after": 99 })).await;
    assert_eq!(next_of(&mut cws, "error").await["code"], "unknown_seq");

    // The customer drops off; the agent writes twice; the customer comes back and resumes.
    drop(cws);
    for (id, body) in [("a-2", "Är du kvar?"), ("a-3", "Platserna är avgiftsfria.")] {
        send(
            &mut aws,
            json!({ "type": "send", "client_id": id, "body": body }),
        )
        .await;
        next_of(&mut aws, "ack").await;
    }
    let mut cws = customer.socket(chat).await;
    assert_eq!(next(&mut cws).await["last_seq"], 5);
    send(&mut cws, json!({ "type": "resume", "after": 3 })).await;
    assert_eq!(next_of(&mut cws, "message").await["seq"], 4);
    assert_eq!(next_of(&mut cws, "message").await["seq"], 5);
    quiet(&mut cws, 300).await;

    // The agent ends the chat and resolves its case; the customer hears it, and nothing more
    // can be written.
    let (s, _, _) = agent
        .post(&format!("/chat/{}/end", chat.0), &[("resolve", "1")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(next_of(&mut cws, "state").await["state"], "ended");
    send(
        &mut cws,
        json!({ "type": "send", "client_id": "c-9", "body": "En sak till" }),
    )
    .await;
    let e = next_of(&mut cws, "error").await;
    assert_eq!(e["code"], "chat_ended", "{e}");
    assert_eq!(message_count(app, chat).await, 5);
    let (s, html, _) = customer
        .post(
            &format!("/chat/{}/messages", chat.0),
            &[("client_id", "form-late"), ("body", "Hallå?")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Chatten är avslutad"), "{html}");
    assert_eq!(message_count(app, chat).await, 5);

    // The case holds the whole conversation; the queue wait is kept.
    let case = app.db.case(c.case_id).await.unwrap();
    assert_eq!(case.status, serva_domain::case::CaseStatus::Resolved);
    assert!(case.first_response_at.is_some());
    let (s, html) = agent.get(&format!("/cases/{}", case.id)).await;
    assert_eq!(s, StatusCode::OK);
    for line in [
        "Var kan jag parkera",
        "Bakom huset finns platser.",
        "Tack!",
        "Är du kvar?",
        "Platserna är avgiftsfria.",
    ] {
        assert!(html.contains(line), "the case shows {line:?}");
    }
    let waits = app
        .db
        .chat_waits(Some(c.unit_id), 0, i64::MAX)
        .await
        .unwrap();
    assert_eq!(waits.len(), 1);
    assert!(waits[0] >= 0);
}

dual!(customer_and_agent_chat, |app| {
    let customer = Person::signed_in(&app, &app.base, "admin.sof").await;
    let agent = Person::signed_in(&app, &app.base, "handlaggare.kontakt").await;
    converse(&app, &customer, &agent).await;
});

/// The customer on one `serve` node, the agent on another, one PostgreSQL between them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_across_two_nodes() {
    if pg_url().is_none() {
        eprintln!("PostgreSQL not configured (TEST_DATABASE_URL); skipped");
        return;
    }
    let app = App::boot(Backend::Postgres).await.unwrap();
    let node = app.node(serva::Config::default()).await;
    let customer = Person::signed_in(&app, &app.base, "admin.sof").await;
    let agent = Person::signed_in(&app, &node.base, "handlaggare.kontakt").await;
    converse(&app, &customer, &agent).await;
}

dual!(citizen_chat_without_account, |app| {
    let citizen = Person::with_cookie(&app.base, String::new(), String::new());
    let (s, html) = citizen.get("/chat").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Chatta med oss") && html.contains("KL-FRAGA"),
        "{html}"
    );

    // Incomplete: the form again, with what was typed.
    let (s, html, _) = citizen
        .post(
            "/chat",
            &[("service", "KL-FRAGA"), ("name", " "), ("body", "Hej")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("role=\"alert\""), "{html}");

    let r = citizen
        .http
        .post(format!("{}/chat", app.base))
        .form(&[
            ("service", "KL-FRAGA"),
            ("name", "Eva Invånare"),
            ("email", "eva@example.se"),
            ("body", "När töms soporna?"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let chat = chat_id(r.headers()["location"].to_str().unwrap());
    let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let eva = Person::with_cookie(&app.base, cookie, String::new());

    let c = app.db.chat(chat).await.unwrap();
    let case = app.db.case(c.case_id).await.unwrap();
    assert_eq!(case.requester_id, None);
    let contact = case
        .contact
        .as_ref()
        .expect("the case has the citizen as its contact");
    assert_eq!(
        contact.email.as_deref(),
        Some("eva@example.se"),
        "{contact:?}"
    );
    assert_eq!(contact.name.as_deref(), Some("Eva Invånare"));
    assert_eq!(case.channel, serva_domain::case::Channel::Chat);

    let (s, html) = eva.get(&format!("/chat/{}", chat.0)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("När töms soporna?") && html.contains(&case.number().to_string()));

    // Without JavaScript: the form posts; sent twice (a double click, a reload), stored once.
    for _ in 0..2 {
        let (s, _, location) = eva
            .post(
                &format!("/chat/{}/messages", chat.0),
                &[("client_id", "form-abc"), ("body", "Jag bor på Storgatan.")],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(location.starts_with(&format!("/chat/{}", chat.0)));
    }
    assert_eq!(message_count(&app, chat).await, 2);

    // The visitor's WebSocket works with the visitor cookie alone.
    let mut ws = eva.socket(chat).await;
    assert_eq!(next(&mut ws).await["state"], "waiting");
    send(&mut ws, json!({ "type": "resume", "after": 1 })).await;
    assert_eq!(
        next_of(&mut ws, "message").await["body"],
        "Jag bor på Storgatan."
    );

    // Nobody else gets in: another browser, a forged token, another site's page.
    let stranger = Person::with_cookie(&app.base, String::new(), String::new());
    let (s, _) = stranger.get(&format!("/chat/{}", chat.0)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "sent to the login page");
    let forged = Person::with_cookie(
        &app.base,
        format!("serva_chat_{}=forged", chat.0),
        String::new(),
    );
    let (s, _) = forged.get(&format!("/chat/{}", chat.0)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let other_customer = Person::signed_in(&app, &app.base, "admin.sof").await;
    let (s, _) = other_customer.get(&format!("/chat/{}", chat.0)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let mut req = format!(
        "{}/chat/{}/ws",
        app.base.replace("http://", "ws://"),
        chat.0
    )
    .into_client_request()
    .unwrap();
    req.headers_mut()
        .insert("cookie", eva.cookie.parse().unwrap());
    req.headers_mut()
        .insert("origin", "http://evil.example".parse().unwrap());
    assert!(
        tokio_tungstenite::connect_async(req).await.is_err(),
        "a socket from another site is refused"
    );
    let r = eva
        .http
        .post(format!("{}/chat/{}/messages", app.base, chat.0))
        .header("cookie", &eva.cookie)
        .header("origin", "http://evil.example")
        .form(&[("client_id", "form-x"), ("body", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(message_count(&app, chat).await, 2);

    // The citizen ends it; the form then says so and stores nothing.
    let (s, _, _) = eva.post(&format!("/chat/{}/end", chat.0), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(next_of(&mut ws, "state").await["state"], "ended");
    let (s, html, _) = eva
        .post(
            &format!("/chat/{}/messages", chat.0),
            &[("client_id", "form-late"), ("body", "En sak till")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Chatten är avslutad"), "{html}");
    assert_eq!(message_count(&app, chat).await, 2);

    // One address may open a few chats, then waits (the first two posts above counted).
    let mut last = StatusCode::OK;
    for i in 0..5 {
        let (s, _, _) = citizen
            .post(
                "/chat",
                &[
                    ("service", "KL-FRAGA"),
                    ("name", "Eva"),
                    ("body", &format!("Fråga {i}")),
                ],
            )
            .await;
        last = s;
        if s == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(
        last,
        StatusCode::TOO_MANY_REQUESTS,
        "the address is limited"
    );
});

// A message as long as a chat message may be, in letters of two bytes each, crosses the
// sockets whole: the sockets start with a small read buffer (to keep many open sockets cheap)
// and grow it for a frame larger than that.
dual!(longest_message_over_the_socket, |app| {
    let customer = Person::signed_in(&app, &app.base, "admin.sof").await;
    let agent = Person::signed_in(&app, &app.base, "handlaggare.kontakt").await;
    let (s, _, location) = customer
        .post(
            "/portal/services/KL-FRAGA/chat",
            &[("body", "Hej! Ett långt meddelande kommer.")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let chat = chat_id(&location);
    let mut cws = customer.socket(chat).await;
    assert_eq!(next(&mut cws).await["type"], "state");
    send(&mut cws, json!({ "type": "resume", "after": 1 })).await;
    let mut aws = agent.socket(chat).await;
    assert_eq!(next(&mut aws).await["type"], "state");
    send(&mut aws, json!({ "type": "resume", "after": 1 })).await;

    let long = "å".repeat(serva_domain::chat::BODY_MAX);
    assert!(
        long.len() > 4096,
        "the frame is larger than the first read buffer"
    );
    send(
        &mut cws,
        json!({ "type": "send", "client_id": "c-long", "body": long }),
    )
    .await;
    assert_eq!(next_of(&mut cws, "ack").await["seq"], 2);
    assert_eq!(message(&mut aws, 2).await["body"], long.as_str());
    // The sockets go on after it.
    send(
        &mut aws,
        json!({ "type": "send", "client_id": "a-1", "body": "Tack, jag har läst allt." }),
    )
    .await;
    assert_eq!(
        message(&mut cws, 3).await["body"],
        "Tack, jag har läst allt."
    );
});

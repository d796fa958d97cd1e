//! Hostile input on the pages: every POST form found by walking the pages as the
//! administrator gets garbage, forged CSRF tokens and no session, and nothing answers 5xx.
//! See docs/hostile-input.md.

use std::collections::{HashMap, HashSet};

use crate::dual;
use crate::harness::{csrf_in, Browser};
use reqwest::StatusCode;
use serde_json::json;

#[derive(Debug, Clone)]
struct Form {
    page: String,
    action: String,
    multipart: bool,
    /// Field names with the value the page gave them.
    fields: Vec<(String, String)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let v = tag[at..].split('"').next()?;
    Some(
        v.replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">"),
    )
}

/// The POST forms of a page and the same-site links it has.
fn forms_and_links(page: &str, html: &str) -> (Vec<Form>, Vec<String>) {
    let mut forms = Vec::new();
    for chunk in html.split("<form").skip(1) {
        let Some(tag_end) = chunk.find('>') else {
            continue;
        };
        let tag = &chunk[..tag_end];
        if attr(tag, "method").as_deref() != Some("post") {
            continue;
        }
        let action = attr(tag, "action").unwrap_or_else(|| page.to_string());
        let body = chunk[tag_end..].split("</form>").next().unwrap_or("");
        let mut fields = Vec::new();
        for kind in ["<input", "<select", "<textarea"] {
            for part in body.split(kind).skip(1) {
                let tag = part.split('>').next().unwrap_or("");
                if let Some(name) = attr(tag, "name") {
                    let value = attr(tag, "value").unwrap_or_default();
                    fields.push((name, value));
                }
            }
        }
        forms.push(Form {
            page: page.to_string(),
            action,
            multipart: attr(tag, "enctype").as_deref() == Some("multipart/form-data"),
            fields,
        });
    }
    let links = html
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(|l| l.replace("&amp;", "&"))
        .collect();
    (forms, links)
}

/// Pages a signed-in person reaches from `/`, and their forms.
/// A path with its ids and codes replaced: `/cases/12` and `/cases/13` have the same forms,
/// and so, nearly, do `/catalogue/LK-KONTO/edit` and `/catalogue/HR-ANST/edit`.
fn shape(path: &str) -> String {
    path.split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .map(|s| {
            let id = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let code = !s.is_empty()
                && s.bytes().any(|b| b.is_ascii_uppercase())
                && s.bytes().all(|b| {
                    b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if id || code {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Pages a signed-in person reaches from `start`, breadth first, at most two of a shape, and
/// their POST forms (one of each action shape and set of fields).
async fn crawl(b: &Browser, start: &[&str], max_pages: usize) -> (Vec<String>, Vec<Form>) {
    let mut queue: std::collections::VecDeque<String> =
        start.iter().map(|s| s.to_string()).collect();
    let mut seen = HashSet::new();
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut pages = Vec::new();
    let mut forms = Vec::new();
    let mut seen_forms = HashSet::new();
    while let Some(path) = queue.pop_front() {
        let skip = path.starts_with("/static")
            || path.starts_with("/logout")
            || path.starts_with("/lang")
            || path.contains("format=pdf")
            || path.contains("format=docx")
            || path.contains("format=csv")
            || path.contains("format=xlsx");
        if skip || pages.len() >= max_pages || !seen.insert(path.clone()) {
            continue;
        }
        let n = shapes.entry(shape(&path)).or_default();
        *n += 1;
        if *n > 2 {
            continue;
        }
        let (s, html) = b.get(&path).await;
        assert!(s.as_u16() < 500, "GET {path}: {s}");
        pages.push(path.clone());
        let (fs, links) = forms_and_links(&path, &html);
        for f in fs {
            let mut names: Vec<&str> = f.fields.iter().map(|(n, _)| n.as_str()).collect();
            names.sort();
            if seen_forms.insert(format!("{} {names:?}", shape(&f.action))) {
                forms.push(f);
            }
        }
        queue.extend(links);
    }
    (pages, forms)
}

async fn post_form(b: &Browser, action: &str, content_type: &str, body: Vec<u8>) -> StatusCode {
    b.client
        .post(format!("{}{action}", b.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {action}: no answer: {e}"))
        .status()
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn urlencode(fields: &[(String, String)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

const FORM_GARBAGE: &[&str] = &[
    "",
    "abc",
    "-1",
    "99999999999999999999",
    "1e400",
    "2019-02-30",
    "\u{0}<script>ÅÄÖ",
    "9223372036854775808",
];

/// Page answers: anything but a 5xx; refusals of forged requests are checked where made.
#[derive(Default)]
struct PageFindings {
    requests: usize,
    problems: Vec<String>,
}

impl PageFindings {
    fn check(&mut self, what: String, s: StatusCode) {
        self.requests += 1;
        if s.is_server_error() {
            self.problems.push(format!("{what}: {s}"));
        }
    }
}

dual!(page_forms_survive_garbage, |app| {
    // A case, so its page and forms are reachable.
    let customer = app.api("admin.sof").await;
    let (s, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "KL-FRAGA", "subject": "Fråga", "description": "Text" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let case_page = format!("/cases/{}", case["id"]);
    let b = app.login("admin").await;
    let csrf = b.csrf.clone().unwrap();
    let (pages, forms) = crawl(
        &b,
        &[
            "/",
            &case_page,
            "/queues",
            "/cases",
            "/catalogue",
            "/admin/units",
            "/admin/users",
            "/followup",
            "/imports",
            "/account",
        ],
        60,
    )
    .await;
    // Forms that end the session or change the admin's own password would cut the walk short.
    let mut forms: Vec<Form> = forms
        .into_iter()
        .filter(|f| {
            f.action != "/logout"
                && !f.action.ends_with("/password")
                && !f.action.starts_with("/account/sessions/")
        })
        .collect();
    // A form the admin's pages do not show: the requester's survey of a resolved case.
    forms.push(Form {
        page: case_page.clone(),
        action: format!("{case_page}/survey"),
        multipart: false,
        fields: vec![
            ("answer".into(), "4".into()),
            ("comment".into(), "Bra".into()),
        ],
    });
    assert!(pages.len() >= 10, "crawled only {pages:?}");
    assert!(
        forms.len() >= 10,
        "found only {} forms on {pages:?}",
        forms.len()
    );
    let form_ct = "application/x-www-form-urlencoded";
    let anonymous = app.browser();
    let mut pf = PageFindings::default();
    for form in &forms {
        let what = |v: &str| format!("POST {} (form on {}) {v}", form.action, form.page);
        let with_csrf = |mut fields: Vec<(String, String)>| {
            fields.retain(|(k, _)| k != "_csrf");
            fields.push(("_csrf".into(), csrf.clone()));
            fields
        };
        if form.multipart {
            for (label, body) in [
                ("a multipart body without a boundary", b"--x\r\n\r\n".to_vec()),
                (
                    "a truncated multipart body",
                    format!("--XX\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nbudget\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nyear;unit\n").into_bytes().into_iter().chain([0xFF]).collect(),
                ),
                (
                    "a garbage file",
                    format!("--XX\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nstaff\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nperiod,unit,gender,metric,value,target\n2019a\u{e9}b,VSS,T,employees,1,\n\r\n--XX--\r\n").into_bytes(),
                ),
            ] {
                let ct = if label.contains("without a boundary") {
                    "multipart/form-data"
                } else {
                    "multipart/form-data; boundary=XX"
                };
                pf.check(what(label), post_form(&b, &form.action, ct, body).await);
            }
        }
        // The form as the page gave it, then with garbage in every field.
        pf.check(
            what("as given"),
            post_form(
                &b,
                &form.action,
                form_ct,
                urlencode(&with_csrf(form.fields.clone())),
            )
            .await,
        );
        for (round, _) in FORM_GARBAGE.iter().enumerate() {
            let fields: Vec<(String, String)> = form
                .fields
                .iter()
                .enumerate()
                .map(|(i, (k, _))| {
                    (
                        k.clone(),
                        FORM_GARBAGE[(i + round) % FORM_GARBAGE.len()].to_string(),
                    )
                })
                .collect();
            pf.check(
                what(&format!("with garbage round {round}")),
                post_form(&b, &form.action, form_ct, urlencode(&with_csrf(fields))).await,
            );
        }
        pf.check(
            what("with no fields"),
            post_form(&b, &form.action, form_ct, urlencode(&with_csrf(vec![]))).await,
        );
        pf.check(
            what("with an unknown field"),
            post_form(
                &b,
                &form.action,
                form_ct,
                urlencode(&with_csrf(vec![("zz_unknown".into(), "1".into())])),
            )
            .await,
        );
        let mut raw = format!("_csrf={csrf}&").into_bytes();
        raw.extend_from_slice(b"a=%FF%FE&b=\xFF\xE5&%=&&==");
        pf.check(
            what("with invalid UTF-8"),
            post_form(&b, &form.action, form_ct, raw).await,
        );
        pf.check(
            what("as JSON"),
            post_form(&b, &form.action, "application/json", b"{\"a\":1}".to_vec()).await,
        );
        // Wrong or missing CSRF token, and no session: refused, with 4xx or a redirect.
        for (label, token) in [("a wrong CSRF token", "nope"), ("an empty CSRF token", "")] {
            let mut fields = form.fields.clone();
            fields.retain(|(k, _)| k != "_csrf");
            fields.push(("_csrf".into(), token.into()));
            let s = post_form(&b, &form.action, form_ct, urlencode(&fields)).await;
            pf.check(what(label), s);
            if form.action != "/login" && !(s.is_client_error()) {
                pf.problems
                    .push(format!("{}: {s}, not refused", what(label)));
            }
        }
        let s = post_form(&anonymous, &form.action, form_ct, urlencode(&form.fields)).await;
        pf.check(what("without a session"), s);
        if form.action != "/login" && s.is_success() {
            pf.problems
                .push(format!("{}: {s} without a session", what("")));
        }
        // The same action on ids that do not exist.
        if form
            .action
            .split('/')
            .any(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        {
            for bad in ["abc", "-1", "9223372036854775808", "%FF"] {
                let action: String = form
                    .action
                    .split('/')
                    .map(|s| {
                        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                            bad
                        } else {
                            s
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                pf.check(
                    format!("POST {action} (id {bad})"),
                    post_form(
                        &b,
                        &action,
                        form_ct,
                        urlencode(&with_csrf(form.fields.clone())),
                    )
                    .await,
                );
            }
        }
    }
    // The login form, without a session.
    let (_, html) = anonymous.get("/login").await;
    let token = csrf_in(&html).expect("the login form has a CSRF token");
    for (user, password, token) in [
        ("", "", token.as_str()),
        ("admin", "\u{0}", token.as_str()),
        ("x".repeat(100_000).as_str(), "y", token.as_str()),
        ("admin\u{0}", "demo", "nope"),
        ("%FF", "%FF", ""),
    ] {
        let body = urlencode(&[
            ("_csrf".into(), token.into()),
            ("username".into(), user.into()),
            ("password".into(), password.into()),
            ("next".into(), "//evil.example/%FF".into()),
        ]);
        let s = post_form(&anonymous, "/login", form_ct, body).await;
        pf.check(
            format!(
                "POST /login as {:?}",
                user.chars().take(10).collect::<String>()
            ),
            s,
        );
        if s == StatusCode::SEE_OTHER {
            pf.problems
                .push(format!("POST /login as {user:.10}: signed in"));
        }
    }
    let (requests, problems) = (pf.requests, pf.problems);
    let mut actions: Vec<&str> = forms.iter().map(|f| f.action.as_str()).collect();
    actions.sort();
    actions.dedup();
    eprintln!(
        "{} forms on {} pages, {requests} requests; actions: {actions:?}",
        forms.len(),
        pages.len()
    );
    assert!(
        problems.is_empty(),
        "{} of {requests}:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The admin's session survived it all.
    let (s, html) = b.get("/account").await;
    assert_eq!(s, StatusCode::OK);
    assert!(csrf_in(&html).is_some());
});

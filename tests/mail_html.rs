//! The HTML part of a received mail on the case page: beside what the mail became, folded
//! away, sanitised, and in a box of its own; nothing in it runs, and no image of it loads.

use reqwest::StatusCode;

use crate::dual;
use crate::mail_in::{id_of, search, smtp, word, KONTAKT};

/// A mail with a text part and an HTML part, as mail programs send it.
fn alternative(from: &str, subject: &str, message_id: &str, text: &str, html: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {KONTAKT}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
         --alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\
         --alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--alt--\r\n"
    )
    .into_bytes()
}

dual!(the_mails_formatting_is_shown_on_the_case_page, |app| {
    let s = smtp(&app).await;
    let w = word("formatering");
    let from = "kim.berg@example.org";
    let html = "<p>Hej, gäller <b>bygglovet</b> fortfarande?</p><ul><li>Tomt 4</li></ul>\
        <table width=\"2400\"><tr><td>bred</td></tr></table>\
        <img src=\"https://tracker.example/pixel.gif?kim\" alt=\"Vår logga\" onerror=\"steal()\">\
        <a href=\"/admin\">admin</a><script>steal()</script>";
    let (code, text) = s
        .send(
            Some(from),
            KONTAKT,
            &alternative(
                from,
                &w,
                "f1@example.org",
                "Hej, gäller bygglovet fortfarande?",
                html,
            ),
        )
        .await;
    assert_eq!(code, 250, "{text}");
    let case = app
        .db
        .case(id_of(&search(&app, &w).await[0]))
        .await
        .unwrap();

    let agent = app.login("handlaggare.kontakt").await;
    let r = agent
        .client
        .get(app.url(&format!("/cases/{}", case.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Were an image address to slip through, the browser would still not fetch it.
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("img-src 'self' data:;"), "{csp}");
    let page = r.text().await.unwrap();
    assert!(page.contains("Visa e-postens formatering"), "{page}");
    assert!(page.contains("<b>bygglovet</b>"), "{page}");
    assert!(page.contains("<li>Tomt 4</li>"), "{page}");
    assert!(
        page.contains("alt=\"Vår logga\""),
        "the image's text stays: {page}"
    );
    for gone in ["tracker.example", "onerror", "steal()", "href=\"/admin\""] {
        assert!(!page.contains(gone), "{gone} is not on the page: {page}");
    }
    // Beside the description, before the messages, in its box.
    let shown = page.find("<b>bygglovet</b>").unwrap();
    assert!(shown < page.find("<h2>Meddelanden").unwrap());
    let boxed = page[..shown].rfind("class=\"mail-html-body\"").unwrap();
    assert!(page[boxed..shown].contains("tabindex=\"0\""));

    // A reply by mail with its own formatting sits beside the message it became.
    let number = case.number();
    let (code, text) = s
        .send(
            Some(from),
            KONTAKT,
            &alternative(
                from,
                &format!("SV: {w} [Ärende {number}]"),
                "f2@example.org",
                "Tack för svaret.",
                "<p>Tack för <i>svaret</i>.</p>",
            ),
        )
        .await;
    assert_eq!(code, 250, "{text}");
    assert!(text.contains("reply to case"), "{text}");
    let (_, page) = agent.get(&format!("/cases/{}", case.id)).await;
    let reply = page.find("Tack för svaret.").expect("the reply's text");
    let formatting = page.find("<i>svaret</i>").expect("the reply's formatting");
    assert!(
        page.find("<h2>Meddelanden").unwrap() < reply && reply < formatting,
        "{page}"
    );
    assert_eq!(page.matches("Visa e-postens formatering").count(), 2);

    // Someone who may not see the case sees none of it.
    let other = app.login("handlaggare.hr").await;
    let (s, page) = other.get(&format!("/cases/{}", case.id)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!page.contains("bygglovet"));
});

dual!(a_mail_without_message_id_keeps_its_formatting, |app| {
    let s = smtp(&app).await;
    let w = word("utanid");
    let from = "lo.ek@example.org";
    let mail = format!(
        "From: {from}\r\nTo: {KONTAKT}\r\nSubject: {w}\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
         --alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBehöver jag bygglov?\r\n\
         --alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Behöver jag <b>bygglov</b>?</p>\r\n--alt--\r\n"
    );
    let (code, text) = s.send(Some(from), KONTAKT, mail.as_bytes()).await;
    assert_eq!(code, 250, "{text}");
    let id = id_of(&search(&app, &w).await[0]);
    let agent = app.login("handlaggare.kontakt").await;
    let (_, page) = agent.get(&format!("/cases/{id}")).await;
    assert!(page.contains("Visa e-postens formatering"), "{page}");
    assert!(page.contains("<b>bygglov</b>"), "{page}");
});

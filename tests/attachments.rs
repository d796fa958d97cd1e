//! Attachments: on the case page without JavaScript and through the API; checked by content,
//! limited in size, served only to those who may read the case, and always as a download.

use crate::dual;
use crate::harness::{assert_api_error, Browser};
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::json;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

async fn upload(b: &Browser, case: i64, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let form = Form::new()
        .text("_csrf", b.csrf.clone().unwrap_or_default())
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    let r = b
        .client
        .post(format!("{}/cases/{case}/attachments", b.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

dual!(files_on_the_case_page, |app| {
    let customer = app.api("admin.sof").await;
    let (_, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "LK-LOSEN", "subject": "Skärmbild av felet", "description": "Se bilaga." }),
        )
        .await;
    let id = case["id"].as_i64().unwrap();
    let mut web = app.login("admin.sof").await;
    web.csrf = Some(web.csrf_token().await);

    let (s, _) = upload(&web, id, "C:\\Temp\\Felmeddelande åäö.pdf", PDF.to_vec()).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = web.get(&format!("/cases/{id}")).await;
    assert!(html.contains("Felmeddelande åäö.pdf"), "{html}");
    assert!(html.contains("Filen är bifogad.") || html.contains("Bifogade filer"));
    let href = format!("/cases/{id}/attachments/");
    let at = html.find(&href).expect("a link to the file");
    let link: String = html[at..].split('"').next().unwrap().to_string();

    // The agent downloads it: a download, of the type its content shows, never sniffed.
    let agent = app.login("handlaggare.lkdata").await;
    let r = agent
        .client
        .get(format!("{}{link}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "application/pdf");
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''Felmeddelande%20%C3%A5%C3%A4%C3%B6.pdf"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);

    // Someone who may not read the case gets "not found", as for the case itself.
    let stranger = app.login("hrkonsult.uf").await;
    let (s, _) = stranger.get(&link).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A page dressed up as a PDF, a program and a too-large file are refused with a reason,
    // and nothing is kept.
    let before = app
        .db
        .attachments(serva_domain::CaseId(id))
        .await
        .unwrap()
        .len();
    let (s, html) = upload(
        &web,
        id,
        "faktura.pdf",
        b"<html><script>alert(1)</script>".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Innehållet stämmer inte med filtypen"),
        "{html}"
    );
    let (s, html) = upload(&web, id, "verktyg.exe", b"MZ\x90\x00".to_vec()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Den filtypen tas inte emot"));
    // The server may answer before the body is all sent and close the connection; then the
    // client sees a broken pipe instead of the answer. Either way nothing may be kept.
    let form = Form::new()
        .text("_csrf", web.csrf.clone().unwrap_or_default())
        .part(
            "file",
            Part::bytes(vec![b'a'; 30 * 1024 * 1024]).file_name("stor.txt"),
        );
    let sent = web
        .client
        .post(format!("{}/cases/{id}/attachments", web.base))
        .multipart(form)
        .send()
        .await;
    if let Ok(r) = sent {
        let s = r.status();
        assert!(
            s == StatusCode::PAYLOAD_TOO_LARGE || s == StatusCode::BAD_REQUEST,
            "{s}"
        );
    }
    assert_eq!(
        app.db
            .attachments(serva_domain::CaseId(id))
            .await
            .unwrap()
            .len(),
        before
    );
    // Without the form's token nothing is attached.
    let mut forged = app.login("admin.sof").await;
    forged.csrf = Some("fel".into());
    let (s, _) = upload(&forged, id, "ok.pdf", PDF.to_vec()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});

dual!(files_through_the_api, |app| {
    let customer = app.api("admin.sof").await;
    let agent = app.api("handlaggare.lkdata").await;
    let (_, case) = customer
        .post(
            "/api/v1/cases",
            &json!({ "service": "LK-LOSEN", "subject": "Logg bifogad", "description": "Se fil." }),
        )
        .await;
    let id = case["id"].as_i64().unwrap();
    let (s, a) = customer
        .raw(
            Method::POST,
            &format!("/api/v1/cases/{id}/attachments?filename=fel.txt"),
            "application/octet-stream",
            "Fel 0x80070005 vid inloggning\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["content_type"], "text/plain; charset=utf-8");
    assert_eq!(a["size"], 30);

    // An internal note's file is for the provider's side only.
    let (_, note) = agent
        .post(
            &format!("/api/v1/cases/{id}/messages"),
            &json!({ "body": "Se intern logg.", "internal": true }),
        )
        .await;
    let (s, internal) = agent
        .raw(
            Method::POST,
            &format!(
                "/api/v1/cases/{id}/attachments?filename=intern.csv&message_id={}",
                note["id"]
            ),
            "text/csv",
            b"server;status\nSRV12;nere\n".to_vec(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{internal}");
    let (_, seen) = agent.get(&format!("/api/v1/cases/{id}/attachments")).await;
    assert_eq!(seen["attachments"].as_array().unwrap().len(), 2);
    let (_, seen) = customer
        .get(&format!("/api/v1/cases/{id}/attachments"))
        .await;
    assert_eq!(seen["attachments"].as_array().unwrap().len(), 1, "{seen}");
    let hidden = internal["download"].as_str().unwrap();
    let got = customer.get(hidden).await;
    assert_api_error(&got, 404, "not found");
    // The customer cannot hang a file on the internal note either.
    let got = customer
        .raw(
            Method::POST,
            &format!(
                "/api/v1/cases/{id}/attachments?filename=x.txt&message_id={}",
                note["id"]
            ),
            "text/plain",
            b"x".to_vec(),
        )
        .await;
    assert_api_error(&got, 404, "message");

    let got = customer
        .raw(
            Method::POST,
            &format!("/api/v1/cases/{id}/attachments"),
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
    assert_api_error(&got, 422, "filename");
    let got = customer
        .raw(
            Method::POST,
            &format!("/api/v1/cases/{id}/attachments?filename=bild.svg"),
            "image/svg+xml",
            b"<svg onload=alert(1)/>".to_vec(),
        )
        .await;
    assert_api_error(&got, 422, "not accepted");
    // Refused from its Content-Length: 413, or a closed connection if the server answered
    // before the client had sent it all.
    let sent = customer
        .client
        .post(format!(
            "{}/api/v1/cases/{id}/attachments?filename=stor.pdf",
            app.base
        ))
        .bearer_auth(customer.token.clone().unwrap())
        .body(vec![b'%'; 26 * 1024 * 1024])
        .send()
        .await;
    if let Ok(r) = sent {
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
    let (_, seen) = agent.get(&format!("/api/v1/cases/{id}/attachments")).await;
    assert_eq!(seen["attachments"].as_array().unwrap().len(), 2);
});

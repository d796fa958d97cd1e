//! The times a queue shows: "newest first" follows the creation time shown, and a due time is
//! said against today ("i dag 08:05", "i morgon 10:00", "fre 10:00"), its exact instant in
//! `datetime` and the title — so the only full date-times in the list are the creation times.

use serde_json::json;

use crate::dual;

fn full_times(html: &str) -> Vec<String> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(16) {
        let s = &b[i..i + 16];
        let d = |r: std::ops::Range<usize>| s[r].iter().all(u8::is_ascii_digit);
        if d(0..4)
            && s[4] == b'-'
            && d(5..7)
            && s[7] == b'-'
            && d(8..10)
            && s[10] == b' '
            && d(11..13)
            && s[13] == b':'
            && d(14..16)
        {
            out.push(String::from_utf8_lossy(s).into_owned());
        }
    }
    out
}

dual!(
    newest_first_follows_the_shown_creation_time_and_due_times_are_words,
    |app| {
        let customer = app.api("admin.sof").await;
        for i in 0..6 {
            let (s, c) = customer
            .post(
                "/api/v1/cases",
                &json!({ "service": "KL-FRAGA", "subject": format!("Fråga {i}"), "description": "Hej" }),
            )
            .await;
            assert_eq!(s, 201, "{c}");
        }
        let agent = app.login("handlaggare.kontakt").await;
        let (_, html) = agent.get("/queues/KL").await;
        let times = full_times(&html);
        assert!(times.len() >= 6, "{times:?}");
        let mut sorted = times.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(
            times, sorted,
            "newest first, and no other full date-time in the list"
        );
        // The due column: words for the day, the exact instant for a machine and a mouse.
        assert!(html.contains(" kl. "), "the exact due time in the title");
        let words = [
            "i dag ",
            "i morgon ",
            "mån ",
            "tis ",
            "ons ",
            "tors ",
            "fre ",
        ];
        assert!(
            words.iter().any(|w| html.contains(&format!(">{w}"))),
            "a due time in words"
        );
    }
);

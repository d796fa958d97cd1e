//! Unit managers publish and change their services; customers order them.

use crate::dual;
use reqwest::StatusCode;

dual!(unit_manager_publishes_a_service_customers_order, |app| {
    let chef = app.login("chef.lkdata").await;
    let (s, html) = chef.get("/catalogue").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("LK-KONTO") && !html.contains("KL-FRAGA"),
        "a manager sees their own unit's services"
    );

    let form = "antal | Antal skärmar | number | required\nmodell | Modell | choice | optional | 24 tum, 27 tum";
    let fields = [
        ("unit", "LKDATA"),
        ("code", "LK-SKARM"),
        ("name", "Extra bildskärm"),
        ("description", "En extra skärm till din arbetsplats."),
        ("category", "IT-arbetsplats"),
        ("price_model", "per_unit_month"),
        ("price", "89,50"),
        ("first_response_minutes", "240"),
        ("resolution_minutes", "2880"),
        ("form", form),
        ("active", "true"),
    ];
    let (s, html, loc) = chef.post("/catalogue", &fields).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(loc.as_deref(), Some("/catalogue?ok=1"));
    let (s, html, _) = chef.post("/catalogue", &fields).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("already exists"));
    let mut bad = fields;
    bad[1] = ("code", "LK-SKARM2");
    bad[9] = ("form", "antal | Antal | number | required\nx | X | colour");
    bad[6] = ("price", "gratis");
    let (s, html, _) = chef.post("/catalogue", &bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("line 2: unknown kind") && html.contains("Priset ska vara"),
        "{html}"
    );

    // The service is in the portal with its price and form; a customer orders it.
    let customer = app.login("admin.sof").await;
    let (_, html) = customer.get("/portal?q=bildsk%C3%A4rm").await;
    assert!(
        html.contains("Extra bildskärm") && html.contains("89,50\u{a0}kr"),
        "{html}"
    );
    let (s, html, _) = customer
        .post(
            "/portal/services/LK-SKARM/order",
            &[("subject", "Skärm"), ("description", "Till receptionen")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Antal skärmar"));
    let (s, _, _) = customer
        .post(
            "/portal/services/LK-SKARM/order",
            &[
                ("subject", "Skärm"),
                ("description", "Till receptionen"),
                ("antal", "2"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    // Hiding it takes it out of the portal; the change is audited with before and after.
    let (s, html) = chef.get("/catalogue/LK-SKARM/edit").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("antal | Antal skärmar | number | required"));
    let mut hidden: Vec<(&str, &str)> = fields
        .iter()
        .copied()
        .filter(|(k, _)| *k != "active")
        .collect();
    hidden.retain(|(k, _)| *k != "price");
    hidden.push(("price", "99"));
    let (s, _, _) = chef.post("/catalogue/LK-SKARM", &hidden).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = customer.get("/portal?q=bildsk%C3%A4rm").await;
    assert!(!html.contains("Extra bildskärm"));
    assert_eq!(
        customer.get("/portal/services/LK-SKARM").await.0,
        StatusCode::NOT_FOUND
    );
    let svc = app.db.service_by_code("LK-SKARM").await.unwrap();
    assert_eq!((svc.price_ore, svc.active), (9_900, false));
    let audit = app
        .db
        .audit_entries(&serva_store::audit::AuditFilter {
            entity: Some("service".into()),
            entity_id: Some(svc.id.to_string()),
            before_id: None,
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit[0].action, "update");
    assert!(audit[0]
        .before_json
        .as_deref()
        .unwrap()
        .contains("\"price_ore\":8950"));

    // Nobody else manages LKDATA's catalogue.
    for user in ["handlaggare.lkdata", "admin.sof", "chef.kontakt"] {
        let b = app.login(user).await;
        assert_eq!(
            b.get("/catalogue/LK-SKARM/edit").await.0,
            StatusCode::NOT_FOUND,
            "{user}"
        );
        let (s, _, _) = b.post("/catalogue/LK-SKARM", &fields).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{user}");
    }
    let kontakt = app.login("chef.kontakt").await;
    let mut other = fields;
    other[1] = ("code", "KL-X");
    let (s, html, _) = kontakt.post("/catalogue", &other).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "chef.kontakt cannot publish for LKDATA"
    );
    assert!(html.contains("Välj en leverantör du förvaltar."));
});

//! A case list's filters as people type them, before they are checked.

/// A list's filters as people type them (query parameters); empty means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListParams {
    /// Free text, or a case number.
    pub q: String,
    /// `active`, or a status.
    pub status: String,
    /// `newest`, `oldest`, `updated` or `due`.
    pub sort: String,
    /// `near_breach` or `breached`: where the SLA clocks stand.
    pub sla: String,
    /// `none`, `me`, or a user id.
    pub assignee: String,
    /// A service code.
    pub service: String,
    pub channel: String,
    /// A provider unit's code (the API's search), as sent: present but empty names no unit.
    pub unit: Option<String>,
    pub page: String,
    /// As sent: present but empty is not a number.
    pub per_page: Option<String>,
}

impl ListParams {
    /// Reads the parameters from a query string's pairs (the typed filters trimmed).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a String, &'a String)>) -> Self {
        let mut p = ListParams::default();
        for (k, raw) in pairs {
            let v = raw.trim().to_string();
            match k.as_str() {
                "q" => p.q = v,
                "status" => p.status = v,
                "sort" => p.sort = v,
                "sla" => p.sla = v,
                "assignee" => p.assignee = v,
                "service" => p.service = v,
                "channel" => p.channel = v,
                "unit" => p.unit = Some(raw.clone()),
                "page" => p.page = v,
                "per_page" => p.per_page = Some(raw.clone()),
                _ => {}
            }
        }
        p
    }

    /// The filters that narrow the list (not the page), for the pager's links.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("sort", self.sort.clone()),
            ("sla", self.sla.clone()),
            ("assignee", self.assignee.clone()),
            ("service", self.service.clone()),
            ("channel", self.channel.clone()),
        ]
    }
}

//! Single sign-on rules: which Serva roles a person's groups at the identity provider give
//! them, and which username a person gets on their first sign-in. No I/O: the application
//! layer reads the mapping file, talks to the provider and resolves unit codes.

use serde::Deserialize;

use crate::role::{RoleKind, TargetGroup};

/// How the provider's groups become Serva grants; read from the operator's mapping file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantMapping {
    /// The claim that lists the person's groups (`groups`, `roles` …), in the ID token or
    /// from the user-info endpoint.
    #[serde(default = "default_groups_claim")]
    pub groups_claim: String,
    /// Scopes asked for besides `openid` (some providers send groups only for a scope).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// One rule per group and role; a group may give several roles.
    #[serde(default, rename = "grant")]
    pub rules: Vec<GroupRule>,
}

/// One group's role: `role` on the unit with code `unit` (where the role needs one).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRule {
    pub group: String,
    pub role: RoleKind,
    /// The unit's code; required for every role but `admin` and `controller`.
    #[serde(default)]
    pub unit: Option<String>,
    /// For the customer role only: the requester's target group.
    #[serde(default)]
    pub target_group: Option<TargetGroup>,
}

fn default_groups_claim() -> String {
    "groups".into()
}

fn default_scopes() -> Vec<String> {
    vec!["profile".into(), "email".into()]
}

impl Default for GrantMapping {
    fn default() -> Self {
        GrantMapping {
            groups_claim: default_groups_claim(),
            scopes: default_scopes(),
            rules: Vec::new(),
        }
    }
}

impl GrantMapping {
    /// Checks the shape of every rule: a unit where the role needs one and nowhere else, a
    /// target group only for customers. Unit codes are checked against the organisation by
    /// the caller, which knows it.
    pub fn check(&self) -> Result<(), String> {
        if self.groups_claim.trim().is_empty() {
            return Err("groups_claim must name a claim".into());
        }
        for (i, r) in self.rules.iter().enumerate() {
            let at = format!("grant #{} (group {:?})", i + 1, r.group);
            if r.group.is_empty() {
                return Err(format!("{at}: the group is empty"));
            }
            match (r.role.needs_unit(), &r.unit) {
                (true, None) => return Err(format!("{at}: role {} needs a unit", r.role.as_str())),
                (false, Some(_)) => {
                    return Err(format!("{at}: role {} takes no unit", r.role.as_str()))
                }
                _ => {}
            }
            if r.target_group.is_some() && r.role != RoleKind::Customer {
                return Err(format!("{at}: only the customer role has a target group"));
            }
        }
        Ok(())
    }

    /// The rules the person's groups match, each once, in the file's order.
    pub fn rules_for<'a>(&'a self, groups: &[String]) -> Vec<&'a GroupRule> {
        let mut out: Vec<&GroupRule> = Vec::new();
        for r in &self.rules {
            let same = |o: &&GroupRule| {
                o.role == r.role && o.unit == r.unit && o.target_group == r.target_group
            };
            if groups.contains(&r.group) && !out.iter().any(same) {
                out.push(r);
            }
        }
        out
    }
}

/// The username a person gets on their first sign-in: `preferred_username`, or the part of the
/// e-mail address before `@`, folded to Serva's alphabet (a–z, 0–9, '.', '-', '_'; å, ä → a,
/// ö → o, é → e, anything else → '-'), at most 60 characters so a number can follow. `None`
/// when neither claim gives two usable characters.
pub fn username_from_claims(preferred: Option<&str>, email: Option<&str>) -> Option<String> {
    let from_email = email.and_then(|e| e.split('@').next());
    // A preferred username that is an e-mail address (common with directory services) is
    // taken up to its '@' as well.
    let from_preferred = preferred.map(|p| p.split('@').next().unwrap_or(p));
    [from_preferred, from_email]
        .into_iter()
        .flatten()
        .map(fold_username)
        .find(|u| u.len() >= 2)
}

fn fold_username(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().to_lowercase().chars() {
        let c = match c {
            'a'..='z' | '0'..='9' | '.' | '-' | '_' => c,
            'å' | 'ä' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            _ => '-',
        };
        if out.len() < 60 {
            out.push(c);
        }
    }
    out.trim_matches(|c| c == '-' || c == '.').to_string()
}

/// The `n`th choice of username when the first is taken: `eva.ek`, `eva.ek-2`, `eva.ek-3` …
pub fn numbered_username(base: &str, n: u32) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}-{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user::check_username;

    fn rule(group: &str, role: RoleKind, unit: Option<&str>) -> GroupRule {
        GroupRule {
            group: group.into(),
            role,
            unit: unit.map(str::to_string),
            target_group: None,
        }
    }

    #[test]
    fn groups_give_their_rules_once() {
        let m = GrantMapping {
            rules: vec![
                rule("hr", RoleKind::Agent, Some("HR")),
                rule("hr-chefer", RoleKind::UnitManager, Some("HR")),
                rule("hr-alla", RoleKind::Agent, Some("HR")),
                rule("it-admin", RoleKind::Admin, None),
            ],
            ..GrantMapping::default()
        };
        assert!(m.check().is_ok());
        let got = m.rules_for(&["hr".into(), "hr-alla".into(), "okänd".into()]);
        assert_eq!(got, vec![&m.rules[0]], "the same grant twice counts once");
        assert!(m.rules_for(&[]).is_empty());
        let got = m.rules_for(&["it-admin".into(), "hr-chefer".into()]);
        assert_eq!(got, vec![&m.rules[1], &m.rules[3]]);
    }

    #[test]
    fn rules_are_checked() {
        let bad = |r: GroupRule| GrantMapping {
            rules: vec![r],
            ..GrantMapping::default()
        };
        assert!(bad(rule("x", RoleKind::Agent, None))
            .check()
            .unwrap_err()
            .contains("needs a unit"));
        assert!(bad(rule("x", RoleKind::Admin, Some("HR")))
            .check()
            .unwrap_err()
            .contains("takes no unit"));
        let mut tg = rule("x", RoleKind::Agent, Some("HR"));
        tg.target_group = Some(TargetGroup::Employee);
        assert!(bad(tg).check().unwrap_err().contains("target group"));
        assert!(bad(rule("", RoleKind::Admin, None))
            .check()
            .unwrap_err()
            .contains("group is empty"));
    }

    #[test]
    fn usernames_come_from_the_claims_and_fit_the_rules() {
        let u = |p: Option<&str>, e: Option<&str>| username_from_claims(p, e);
        assert_eq!(u(Some("Eva.Ek"), None).as_deref(), Some("eva.ek"));
        assert_eq!(u(Some("eva.ek@kommun.se"), None).as_deref(), Some("eva.ek"));
        assert_eq!(
            u(None, Some("Åsa.Öberg@kommun.se")).as_deref(),
            Some("asa.oberg")
        );
        assert_eq!(u(Some("Per Nilsson"), None).as_deref(), Some("per-nilsson"));
        assert_eq!(u(Some("!"), Some("bo@x.se")).as_deref(), Some("bo"));
        assert_eq!(u(Some("é"), None), None);
        assert_eq!(u(None, None), None);
        let long = "a".repeat(200);
        let got = u(Some(&long), None).unwrap();
        assert_eq!(got.len(), 60);
        for n in [1, 2, 99] {
            assert!(check_username(&numbered_username(&got, n)).is_ok());
        }
        assert_eq!(numbered_username("eva", 1), "eva");
        assert_eq!(numbered_username("eva", 3), "eva-3");
    }

    #[test]
    fn a_mapping_file_reads_with_defaults() {
        let m: GrantMapping = serde_json::from_str(
            r#"{"grant": [{"group": "g", "role": "customer", "unit": "EKO", "target_group": "employee"}]}"#,
        )
        .unwrap();
        assert_eq!(m.groups_claim, "groups");
        assert_eq!(m.scopes, vec!["profile", "email"]);
        assert_eq!(m.rules[0].target_group, Some(TargetGroup::Employee));
        assert!(serde_json::from_str::<GrantMapping>(r#"{"grants": []}"#).is_err());
    }
}

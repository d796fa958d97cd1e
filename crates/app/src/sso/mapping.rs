//! The operator's mapping file (TOML, or JSON when the name ends in `.json`), and turning the
//! rules a person's groups match into grants on units that exist.

use std::path::Path;

use serva_domain::role::Grant;
use serva_domain::sso::{GrantMapping, GroupRule};
use serva_domain::UnitId;

/// Reads and checks a mapping file; the error names the file and what is wrong with it.
pub fn read_mapping(path: &Path) -> Result<GrantMapping, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("reading the SSO mapping file {}: {e}", path.display()))?;
    parse_mapping(&text, path.extension().is_some_and(|e| e == "json"))
        .map_err(|e| format!("the SSO mapping file {}: {e}", path.display()))
}

/// Parses mapping text, TOML or JSON, and checks the shape of its rules.
pub fn parse_mapping(text: &str, json: bool) -> Result<GrantMapping, String> {
    let m: GrantMapping = if json {
        serde_json::from_str(text).map_err(|e| e.to_string())?
    } else {
        toml::from_str(text).map_err(|e| e.to_string())?
    };
    m.check()?;
    Ok(m)
}

/// The grants the matched rules give, their unit codes looked up with `unit`. A code that names
/// no unit (the unit was removed after the file was written) is left out and reported, so the
/// person still gets the rest.
pub fn grants_of(
    rules: &[&GroupRule],
    mut unit: impl FnMut(&str) -> Option<UnitId>,
) -> (Vec<Grant>, Vec<String>) {
    let mut grants = Vec::new();
    let mut unknown = Vec::new();
    for r in rules {
        let unit_id = match &r.unit {
            None => None,
            Some(code) => match unit(code) {
                Some(id) => Some(id),
                None => {
                    unknown.push(code.clone());
                    continue;
                }
            },
        };
        match Grant::new(r.role, unit_id, r.target_group) {
            Ok(g) if !grants.contains(&g) => grants.push(g),
            Ok(_) => {}
            Err(e) => unknown.push(format!("{}: {e}", r.group)),
        }
    }
    (grants, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serva_domain::role::{RoleKind, TargetGroup};

    const FILE: &str = r#"
groups_claim = "roles"
scopes = ["profile", "email", "groups"]

[[grant]]
group = "serva-admin"
role = "admin"

[[grant]]
group = "hr-handlaggare"
role = "agent"
unit = "HR"

[[grant]]
group = "eko-personal"
role = "customer"
unit = "EKO"
target_group = "employee"
"#;

    #[test]
    fn a_toml_file_gives_grants_on_known_units() {
        let m = parse_mapping(FILE, false).unwrap();
        assert_eq!(m.groups_claim, "roles");
        let rules = m.rules_for(&["hr-handlaggare".into(), "eko-personal".into()]);
        let (grants, unknown) = grants_of(&rules, |code| (code == "HR").then_some(UnitId(7)));
        assert_eq!(
            grants,
            vec![Grant::new(RoleKind::Agent, Some(UnitId(7)), None).unwrap()]
        );
        assert_eq!(unknown, vec!["EKO".to_string()]);
        let (grants, _) = grants_of(&rules, |_| Some(UnitId(3)));
        assert_eq!(grants[1].target_group, Some(TargetGroup::Employee));
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        assert!(
            parse_mapping("[[grant]]\ngroup = \"x\"\nrole = \"agent\"\n", false)
                .unwrap_err()
                .contains("needs a unit")
        );
        assert!(
            parse_mapping("[[grant]]\ngroup = \"x\"\nrole = \"boss\"\n", false)
                .unwrap_err()
                .contains("unknown variant")
        );
        assert!(parse_mapping("{\"grant\": 1}", true).is_err());
        assert!(parse_mapping("{}", true).unwrap().rules.is_empty());
    }
}

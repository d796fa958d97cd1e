//! XML text and attribute escaping, shared by the DOCX parts and the SVG charts.

/// The one escaping rule of every chart and document (serva_domain::chart owns it).
pub use serva_domain::chart::escape;

/// A small well-formedness check for tests: tags nest and match, attributes are quoted,
/// entities are the predefined ones. Not a parser; enough to catch an escaping mistake.
#[cfg(test)]
pub fn check_well_formed(xml: &str) -> Result<(), String> {
    // Split at ASCII delimiters only, never at a byte count: the text holds people's words.
    let mut stack: Vec<&str> = Vec::new();
    let rest = xml.strip_prefix("<?xml").ok_or("no XML declaration")?;
    let (_, mut rest) = rest.split_once("?>").ok_or("unterminated declaration")?;
    let mut roots = 0;
    while let Some((text, after)) = rest.split_once('<') {
        check_text(text)?;
        if !text.trim().is_empty() && stack.is_empty() {
            return Err("text outside the root element".into());
        }
        let (tag, after) = after.split_once('>').ok_or("unterminated tag")?;
        rest = after;
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else {
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let (name, attrs) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
            if name.is_empty() || name.contains(['<', '&', '"']) {
                return Err(format!("bad tag name {name:?}"));
            }
            check_attributes(attrs)?;
            if stack.is_empty() {
                roots += 1;
            }
            if !self_closing {
                stack.push(name);
            }
        }
    }
    check_text(rest)?;
    match (stack.last(), roots) {
        (Some(open), _) => Err(format!("<{open}> is not closed")),
        (None, 1) => Ok(()),
        (None, n) => Err(format!("{n} root elements")),
    }
}

#[cfg(test)]
fn check_text(text: &str) -> Result<(), String> {
    let mut rest = text;
    while let Some((_, after)) = rest.split_once('&') {
        let (entity, after) = after.split_once(';').ok_or("bare &")?;
        if !matches!(entity, "amp" | "lt" | "gt" | "quot" | "apos") {
            return Err(format!("unknown entity &{entity};"));
        }
        rest = after;
    }
    if text.contains('>') {
        return Err("bare > in text".into());
    }
    Ok(())
}

#[cfg(test)]
fn check_attributes(attrs: &str) -> Result<(), String> {
    let mut rest = attrs.trim();
    while !rest.is_empty() {
        let (_, after) = rest
            .split_once('=')
            .ok_or(format!("attribute without value in {attrs:?}"))?;
        let value = after
            .trim_start()
            .strip_prefix('"')
            .ok_or("unquoted attribute")?;
        let (value, after) = value.split_once('"').ok_or("unterminated attribute")?;
        if value.contains('<') {
            return Err("< in attribute".into());
        }
        check_text(value)?;
        rest = after.trim_start();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        assert!(check_well_formed(r#"<?xml version="1.0"?><a x="1"><b/>t &amp; u</a>"#).is_ok());
        assert!(check_well_formed(r#"<?xml version="1.0"?><a><b></a>"#).is_err());
        assert!(check_well_formed(r#"<?xml version="1.0"?><a>x & y</a>"#).is_err());
        // Words with characters of several bytes around every delimiter.
        assert!(
            check_well_formed("<?xml version=\"1.0\"?><å ä=\"–ö&amp;–\">2018–&lt;ö<b/>😀</å>")
                .is_ok()
        );
        assert!(check_well_formed("<?xml version=\"1.0\"?><a>–&nbsp;–</a>").is_err());
    }
}

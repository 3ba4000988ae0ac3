//! Message templates: `「{row}」为 {reported}`. Placeholders are checked when the rule file loads.

/// The placeholders a template uses, in order, or the offset of a malformed one.
pub fn placeholders(template: &str) -> Result<Vec<&str>, usize> {
    let mut names = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(offset + open);
        };
        let name = &after[..close];
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid {
            return Err(offset + open);
        }
        names.push(name);
        let consumed = open + 1 + close + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    if let Some(close) = rest.find('}') {
        return Err(offset + close);
    }
    Ok(names)
}

/// Fills a template's placeholders; an unknown one is left as written.
pub fn render(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_listed_and_checked() {
        assert_eq!(
            placeholders("「{row}」为 {reported}"),
            Ok(vec!["row", "reported"])
        );
        assert_eq!(placeholders("没有占位符"), Ok(vec![]));
        assert!(placeholders("{未闭合").is_err());
        assert!(placeholders("{Bad}").is_err());
        assert!(placeholders("多余}").is_err());
    }

    #[test]
    fn render_fills_known_names() {
        let vars = [
            ("row", "（七）总计".to_owned()),
            ("reported", "374".to_owned()),
        ];
        assert_eq!(
            render("「{row}」为 {reported}，{other}", &vars),
            "「（七）总计」为 374，{other}"
        );
    }
}

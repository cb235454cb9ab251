//! ARN templates such as `acs:ecs:$regionid:$accountid:instance/$instanceId`.
//!
//! A template is literal text with `$variables`; a variable name is a run of ASCII letters,
//! digits and `_` after `$`.

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    segments: Vec<Segment>,
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text copied as is.
    Literal(String),
    /// A variable, by name without `$`.
    Variable(String),
}

impl Template {
    /// Parses a template. Fails on a `$` that is not followed by a variable name, and on text
    /// that is not an `acs:` ARN of five fields.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((_, ch)) = chars.next() {
            if ch != '$' {
                literal.push(ch);
                continue;
            }
            let mut name = String::new();
            while let Some(&(_, next)) = chars.peek() {
                if next.is_ascii_alphanumeric() || next == '_' {
                    name.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            if name.is_empty() {
                return Err("`$` is not followed by a variable name".into());
            }
            if !literal.is_empty() {
                segments.push(Segment::Literal(std::mem::take(&mut literal)));
            }
            segments.push(Segment::Variable(name));
        }
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        let shape_ok =
            text.starts_with("acs:") && text.splitn(5, ':').count() == 5 && !text.ends_with(':');
        if !shape_ok {
            return Err("it is not an ARN of five fields".into());
        }
        Ok(Template {
            text: text.into(),
            segments,
        })
    }

    /// The template text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The pieces in order.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Variable names in order of appearance (a repeated variable appears once).
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = Vec::new();
        self.segments
            .iter()
            .filter_map(move |segment| match segment {
                Segment::Variable(name) if !seen.contains(&name.as_str()) => {
                    seen.push(name);
                    Some(name.as_str())
                }
                _ => None,
            })
    }

    /// The template with each variable replaced by `*`: the widest pattern it can produce.
    pub fn to_pattern(&self) -> String {
        self.segments
            .iter()
            .map(|segment| match segment {
                Segment::Literal(text) => text.as_str(),
                Segment::Variable(_) => "*",
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_and_variables() {
        let template =
            Template::parse("acs:ecs:$regionid:$accountid:instance/$instanceId").unwrap();
        assert_eq!(
            template.variables().collect::<Vec<_>>(),
            ["regionid", "accountid", "instanceId"]
        );
        assert_eq!(template.to_pattern(), "acs:ecs:*:*:instance/*");
        assert_eq!(
            template.segments().last(),
            Some(&Segment::Variable("instanceId".into()))
        );
    }

    #[test]
    fn rejects_truncated_templates() {
        assert!(Template::parse("acs:ecs:$regionid:$accountid:").is_err());
        assert!(Template::parse("acs:ecs:$:1:x").is_err());
    }
}

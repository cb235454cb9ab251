//! RAM policy documents → equivalent Cedar policies, one Cedar policy per RAM statement.
//!
//! - `Effect: Allow` → `permit`, `Deny` → `forbid`.
//! - `Action` patterns are expanded over the catalog (RAM compares actions without letter case)
//!   into `action in [Action::"ecs:…", …]`; `NotAction` becomes `unless { action in […] }`.
//!   Requests only name catalog actions, so the expansion is exact on the workload.
//! - `Resource` patterns match the resource entity's `arn` attribute with `like`: RAM's `*`
//!   is Cedar's `*` (any run of characters, `:` and `/` included); a `*` alone drops the
//!   clause. RAM's `?` (one character) has no Cedar counterpart: refused.
//! - Conditions become `when` clauses on `context`, with `has` guards giving RAM's absent-key
//!   rule (a positive operator is not met, a negated one is): strings with `==` / `like`,
//!   integers as `Long`, dates with the `datetime` extension, IPs with `ip(…).isInRange`.
//!   The `…IgnoreCase` operators (Cedar cannot fold case) and non-integer numbers are refused.
//!
//! RAM evaluates each resolved ARN separately and allows a request only when every ARN is
//! allowed (an explicit deny on any ARN wins): the harness asks Cedar once per ARN and combines
//! the answers the same way.

use ram_policy::catalog::Catalog;
use ram_policy::__private::condition::{parse_date, parse_network, parse_number};
use ram_policy::policy::Operator;
use ram_policy::wildcard::{CaseRule, Pattern};
use ram_policy::policy::{ActionKind, ConditionValue, Effect, PolicyDocument};

/// A Cedar string literal.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A RAM wildcard pattern as a Cedar `like` pattern literal.
fn like_pattern(pattern: &str) -> Result<String, String> {
    if pattern.contains('?') {
        return Err(format!(
            "`{pattern}`: RAM's `?` (one character) has no Cedar equivalent"
        ));
    }
    let mut out = String::from("\"");
    for character in pattern.chars() {
        match character {
            '*' => out.push('*'),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

fn action_list(names: &[&str]) -> String {
    let items: Vec<String> = names
        .iter()
        .map(|name| format!("Action::{}", string_literal(name)))
        .collect();
    format!("[{}]", items.join(", "))
}

/// The catalog actions a list of RAM action patterns covers.
fn expand_actions<'c>(catalog: &'c Catalog, patterns: &[String]) -> Vec<&'c str> {
    let compiled: Vec<Pattern> = patterns
        .iter()
        .map(|pattern| Pattern::new(pattern, CaseRule::IgnoreAsciiCase))
        .collect();
    catalog
        .actions()
        .iter()
        .map(|action| action.qualified_name())
        .filter(|name| compiled.iter().any(|pattern| pattern.matches(name)))
        .collect()
}

fn text_of(value: &ConditionValue) -> String {
    value.as_text()
}

/// One `operator → key → values` entry as a Cedar expression.
fn condition(operator: Operator, key: &str, values: &[ConditionValue]) -> Result<String, String> {
    use Operator::*;
    let attribute = format!("context[{}]", string_literal(key));
    let has = format!("context has {}", string_literal(key));
    let mut tests = Vec::new();
    for value in values {
        let text = text_of(value);
        let test = match operator {
            StringEquals | StringNotEquals => format!("{attribute} == {}", string_literal(&text)),
            StringLike | StringNotLike => format!("{attribute} like {}", like_pattern(&text)?),
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => {
                let number = parse_number(&text)
                    .filter(|number| number.fract() == 0.0 && number.abs() < 9.0e15)
                    .ok_or_else(|| format!("`{text}`: only whole numbers translate to Long"))?;
                let symbol = match operator {
                    NumericLessThan => "<",
                    NumericLessThanEquals => "<=",
                    NumericGreaterThan => ">",
                    NumericGreaterThanEquals => ">=",
                    _ => "==",
                };
                format!("{attribute} {symbol} {}", number as i64)
            }
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => {
                parse_date(&text).ok_or_else(|| format!("`{text}` is not a date"))?;
                let symbol = match operator {
                    DateLessThan => "<",
                    DateLessThanEquals => "<=",
                    DateGreaterThan => ">",
                    DateGreaterThanEquals => ">=",
                    _ => "==",
                };
                format!(
                    "{attribute} {symbol} datetime({})",
                    string_literal(text.trim())
                )
            }
            Bool => {
                let flag = ram_policy::__private::condition::parse_bool(&text)
                    .ok_or_else(|| format!("`{text}` is not a boolean"))?;
                format!("{attribute} == {flag}")
            }
            IpAddress | NotIpAddress => {
                let network = parse_network(&text)
                    .ok_or_else(|| format!("`{text}` is not an address or block"))?;
                format!(
                    "{attribute}.isInRange(ip({}))",
                    string_literal(&network.to_string())
                )
            }
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => {
                return Err(format!("`{}`: Cedar has no case folding", operator.name()))
            }
        };
        tests.push(test);
    }
    let any = if tests.is_empty() {
        "false".to_string()
    } else {
        format!("({})", tests.join(" || "))
    };
    Ok(if operator.is_negated() {
        format!("(!({has}) || !{any})")
    } else {
        format!("({has} && {any})")
    })
}

/// Translates named RAM policy documents into Cedar policy text; every statement becomes one
/// Cedar policy with the id `<policy>/<statement index>`. Errors name what does not translate.
pub fn translate(catalog: &Catalog, policies: &[(String, String)]) -> Result<String, String> {
    let mut out = String::new();
    for (name, text) in policies {
        let document =
            PolicyDocument::parse(text).map_err(|error| format!("policy `{name}`: {error}"))?;
        if let Some(problem) = document.errors().next() {
            return Err(format!("policy `{name}`: {problem}"));
        }
        for statement in &document.statements {
            let place = format!("{name}/{}", statement.index);
            let (Some(effect), Some(action), Some(resource)) =
                (&statement.effect, &statement.action, &statement.resource)
            else {
                return Err(format!("{place}: incomplete statement"));
            };
            let patterns: Vec<String> = action.patterns.iter().map(|p| p.value.clone()).collect();
            let covered = expand_actions(catalog, &patterns);
            let mut clauses = Vec::new();
            let action_scope = match action.kind {
                ActionKind::Action => {
                    if covered.is_empty() {
                        // Matches no catalog action, hence no workload request: nothing to say.
                        continue;
                    }
                    format!("action in {}", action_list(&covered))
                }
                ActionKind::NotAction => {
                    if !covered.is_empty() {
                        clauses.push(format!("unless {{ action in {} }}", action_list(&covered)));
                    }
                    "action".to_string()
                }
            };
            let resources: Vec<&str> = resource.value.iter().map(|p| p.value.as_str()).collect();
            let everything = resources
                .iter()
                .any(|pattern| !pattern.is_empty() && pattern.bytes().all(|b| b == b'*'));
            let mut when = Vec::new();
            if !everything {
                let tests = resources
                    .iter()
                    .map(|pattern| Ok(format!("resource.arn like {}", like_pattern(pattern)?)))
                    .collect::<Result<Vec<_>, String>>()
                    .map_err(|error| format!("{place}: {error}"))?;
                when.push(format!("({})", tests.join(" || ")));
            }
            if let Some(block) = &statement.condition {
                for operator in &block.operators {
                    let Some(op) = operator.operator else {
                        return Err(format!("{place}: unknown operator"));
                    };
                    for key in &operator.keys {
                        let values: Vec<ConditionValue> =
                            key.values.iter().map(|v| v.value.clone()).collect();
                        when.push(
                            condition(op, &key.key.value, &values)
                                .map_err(|error| format!("{place}: {error}"))?,
                        );
                    }
                }
            }
            if !when.is_empty() {
                clauses.insert(0, format!("when {{ {} }}", when.join(" && ")));
            }
            let keyword = match effect.value {
                Effect::Allow => "permit",
                Effect::Deny => "forbid",
            };
            out.push_str(&format!(
                "@id({})\n{keyword}(principal, {action_scope}, resource)\n{};\n\n",
                string_literal(&place),
                clauses.join("\n")
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_becomes_one_policy() {
        let catalog = Catalog::embedded().unwrap();
        let text = translate(
            catalog,
            &[(
                "p".into(),
                r#"{"Version":"1","Statement":[{"Effect":"Deny","NotAction":"ecs:Describe*",
                "Resource":["acs:ecs:*:1:instance/*"],
                "Condition":{"NotIpAddress":{"acs:SourceIp":["10.0.0.0/8"]}}}]}"#
                    .into(),
            )],
        )
        .unwrap();
        assert!(
            text.contains("forbid(principal, action, resource)"),
            "{text}"
        );
        assert!(text.contains("unless { action in [Action::\"ecs:DescribeInstances\""));
        assert!(text.contains("resource.arn like \"acs:ecs:*:1:instance/*\""));
        assert!(text.contains("!(context has \"acs:SourceIp\")"));
    }

    #[test]
    fn question_marks_and_case_folding_are_refused() {
        let catalog = Catalog::embedded().unwrap();
        for statement in [
            r#"{"Effect":"Allow","Action":"ecs:*","Resource":"i-?"}"#,
            r#"{"Effect":"Allow","Action":"ecs:*","Resource":"*",
               "Condition":{"StringEqualsIgnoreCase":{"acs:SourceVpc":"V"}}}"#,
            r#"{"Effect":"Allow","Action":"ecs:*","Resource":"*",
               "Condition":{"NumericEquals":{"n":"1.5"}}}"#,
        ] {
            let text = format!(r#"{{"Version":"1","Statement":[{statement}]}}"#);
            assert!(translate(catalog, &[("p".into(), text)]).is_err());
        }
    }
}

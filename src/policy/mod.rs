//! RAM identity policy documents, read tolerantly but honestly.
//!
//! [`PolicyDocument::parse`] fails only on malformed JSON. Everything else that is wrong
//! (unknown elements such as `Sid` or `Principal`, wrong JSON types, missing `Effect`, `Action`
//! together with `NotAction`, …) becomes a [`Problem`] with its JSON pointer and span, next to
//! the document built from what is usable. Lint turns problems into findings; the evaluator
//! refuses a document with any [`Problem::is_error`].
//!
//! ```
//! use ram_policy::policy::{PolicyDocument, Effect};
//! let text = r#"{"Version": "1", "Statement": [
//!   {"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*", "Sid": "x"}]}"#;
//! let document = PolicyDocument::parse(text).unwrap();
//! assert_eq!(document.statements[0].effect.as_ref().unwrap().value, Effect::Allow);
//! assert_eq!(document.problems[0].to_string(),
//!     "unknown element `Sid` at `/Statement/0/Sid`; `Sid` is not in the RAM policy grammar");
//! assert_eq!(document.statements[0].span.start.line, 2);
//! ```

mod error;
mod problem;

pub use error::{read_named, PolicyError};
pub use problem::Problem;

// The parts of a document that come from its JSON (positions, the span-aware tree) and from its
// `Condition` blocks (operators and their qualifiers) are part of the document model.
pub use crate::condition::keys::KeyType;
pub use crate::condition::{Comparison, Operator, OperatorSpec, Qualifier};
pub use crate::json::{JsonMember, JsonNode, JsonValue, LineIndex, Position, Span};

use crate::condition::parse_qualified;
use crate::json::{self, JsonError};
use crate::request::escape_pointer;
use serde::Serialize;

/// A value with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
    /// JSON pointer, e.g. `/Statement/1/Resource/0`.
    pub pointer: String,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    /// The name as written in policies.
    pub fn name(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Whether a statement lists the actions it covers or the actions it does not cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ActionKind {
    Action,
    NotAction,
}

/// `Action` or `NotAction` with its patterns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionElement {
    pub kind: ActionKind,
    pub patterns: Vec<Located<String>>,
    pub span: Span,
    pub pointer: String,
}

/// A condition value: RAM accepts strings, numbers and booleans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ConditionValue {
    String(String),
    /// A number as written.
    Number(String),
    Bool(bool),
}

impl ConditionValue {
    /// The value as text, as it is compared.
    pub fn as_text(&self) -> String {
        match self {
            ConditionValue::String(text) | ConditionValue::Number(text) => text.clone(),
            ConditionValue::Bool(flag) => flag.to_string(),
        }
    }
}

/// One key under an operator with its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionKey {
    pub key: Located<String>,
    pub values: Vec<Located<ConditionValue>>,
}

/// One operator of a condition block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionOperator {
    /// The operator's name as written.
    pub name: Located<String>,
    /// The operator, `None` when the name is not one of the 21 (reported as a problem).
    #[serde(skip)]
    pub operator: Option<crate::condition::Operator>,
    /// `ForAllValues:` / `ForAnyValue:` written before the operator, if any.
    #[serde(skip)]
    pub qualifier: Option<Qualifier>,
    pub keys: Vec<ConditionKey>,
}

/// A `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionBlock {
    pub operators: Vec<ConditionOperator>,
    pub span: Span,
    pub pointer: String,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Index in the `Statement` array (0 for a single statement object).
    pub index: usize,
    pub span: Span,
    pub pointer: String,
    pub effect: Option<Located<Effect>>,
    pub action: Option<ActionElement>,
    /// `Resource` with its patterns; the element's own span and pointer.
    pub resource: Option<Located<Vec<Located<String>>>>,
    pub condition: Option<ConditionBlock>,
}

/// A parsed policy document with the problems found in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyDocument {
    pub version: Option<Located<String>>,
    pub statements: Vec<Statement>,
    /// Problems in source order of discovery; see [`Problem::is_error`].
    pub problems: Vec<Problem>,
    pub span: Span,
}

impl PolicyDocument {
    /// Reads a policy document; only malformed JSON is an `Err`.
    pub fn parse(text: &str) -> Result<PolicyDocument, JsonError> {
        let root = json::parse(text)?;
        Ok(PolicyDocument::from_json(&root))
    }

    /// Reads a policy document from an already parsed JSON tree (lint keeps the tree to find
    /// member keys and neighbours for its fixes).
    pub fn from_json(root: &JsonNode) -> PolicyDocument {
        let mut reader = Reader::default();
        let document = reader.document(root);
        PolicyDocument {
            problems: reader.problems,
            ..document
        }
    }

    /// The problems that make the document unusable for evaluation.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|problem| problem.is_error())
    }
}

#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

fn child(pointer: &str, name: &str) -> String {
    format!("{pointer}/{}", escape_pointer(name))
}

fn display_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        "/".into()
    } else {
        pointer.into()
    }
}

impl Reader {
    fn wrong_type(&mut self, node: &JsonNode, pointer: &str, expected: &'static str) {
        self.problems.push(Problem::WrongType {
            pointer: display_pointer(pointer),
            span: node.span,
            expected,
            found: node.value.type_name(),
        });
    }

    /// The members of an object, reporting duplicates; `None` (and a problem) for a non-object.
    fn members<'n>(
        &mut self,
        node: &'n JsonNode,
        pointer: &str,
        expected: &'static str,
    ) -> Option<&'n [JsonMember]> {
        let JsonValue::Object(members) = &node.value else {
            self.wrong_type(node, pointer, expected);
            return None;
        };
        for (duplicate, first) in JsonNode::duplicate_keys(members) {
            self.problems.push(Problem::DuplicateElement {
                element: duplicate.key.clone(),
                pointer: child(pointer, &duplicate.key),
                span: duplicate.key_span,
                first_line: first.start.line,
                first_column: first.start.column,
            });
        }
        Some(members)
    }

    fn document(&mut self, root: &JsonNode) -> PolicyDocument {
        let mut document = PolicyDocument {
            version: None,
            statements: Vec::new(),
            problems: Vec::new(),
            span: root.span,
        };
        let Some(members) = self.members(root, "", "an object") else {
            return document;
        };
        let mut saw_statement = false;
        for member in first_of_each(members) {
            let pointer = child("", &member.key);
            match member.key.as_str() {
                "Version" => match &member.value.value {
                    JsonValue::String(version) => {
                        if version != "1" {
                            self.problems.push(Problem::InvalidVersion {
                                value: version.clone(),
                                pointer: pointer.clone(),
                                span: member.value.span,
                            });
                        }
                        document.version = Some(Located {
                            value: version.clone(),
                            span: member.value.span,
                            pointer,
                        });
                    }
                    _ => self.wrong_type(&member.value, &pointer, "a string"),
                },
                "Statement" => {
                    saw_statement = true;
                    match &member.value.value {
                        JsonValue::Array(items) => {
                            for (index, item) in items.iter().enumerate() {
                                let at = format!("{pointer}/{index}");
                                if let Some(statement) = self.statement(item, index, &at) {
                                    document.statements.push(statement);
                                }
                            }
                        }
                        JsonValue::Object(_) => {
                            self.problems.push(Problem::SingleStatementObject {
                                pointer: pointer.clone(),
                                span: member.value.span,
                            });
                            if let Some(statement) = self.statement(&member.value, 0, &pointer) {
                                document.statements.push(statement);
                            }
                        }
                        _ => self.wrong_type(&member.value, &pointer, "an array of statements"),
                    }
                }
                other => self.problems.push(Problem::UnknownElement {
                    element: other.to_string(),
                    pointer,
                    span: member.key_span,
                }),
            }
        }
        for (present, element) in [
            (
                document.version.is_some() || has(members, "Version"),
                "Version",
            ),
            (saw_statement, "Statement"),
        ] {
            if !present {
                self.problems.push(Problem::MissingElement {
                    element,
                    pointer: "/".into(),
                    span: root.span,
                });
            }
        }
        document
    }

    fn statement(&mut self, node: &JsonNode, index: usize, pointer: &str) -> Option<Statement> {
        let members = self.members(node, pointer, "an object (a statement)")?;
        let mut statement = Statement {
            index,
            span: node.span,
            pointer: pointer.to_string(),
            effect: None,
            action: None,
            resource: None,
            condition: None,
        };
        for member in first_of_each(members) {
            let at = child(pointer, &member.key);
            match member.key.as_str() {
                "Effect" => match &member.value.value {
                    JsonValue::String(value) => {
                        let effect = match value.as_str() {
                            "Allow" => Some(Effect::Allow),
                            "Deny" => Some(Effect::Deny),
                            _ => None,
                        };
                        match effect {
                            Some(effect) => {
                                statement.effect = Some(Located {
                                    value: effect,
                                    span: member.value.span,
                                    pointer: at,
                                })
                            }
                            None => self.problems.push(Problem::InvalidEffect {
                                value: value.clone(),
                                pointer: at,
                                span: member.value.span,
                            }),
                        }
                    }
                    _ => self.wrong_type(&member.value, &at, "a string"),
                },
                "Action" | "NotAction" => {
                    let kind = if member.key == "Action" {
                        ActionKind::Action
                    } else {
                        ActionKind::NotAction
                    };
                    if statement.action.is_some() {
                        self.problems.push(Problem::ActionAndNotAction {
                            pointer: pointer.to_string(),
                            span: member.key_span,
                        });
                        continue;
                    }
                    if let Some(patterns) = self.strings(&member.value, &at, &member.key) {
                        statement.action = Some(ActionElement {
                            kind,
                            patterns,
                            span: member.value.span,
                            pointer: at,
                        });
                    }
                }
                "Resource" => {
                    if let Some(patterns) = self.strings(&member.value, &at, "Resource") {
                        statement.resource = Some(Located {
                            value: patterns,
                            span: member.value.span,
                            pointer: at,
                        });
                    }
                }
                "Condition" => statement.condition = self.condition(&member.value, &at),
                other => self.problems.push(Problem::UnknownElement {
                    element: other.to_string(),
                    pointer: at,
                    span: member.key_span,
                }),
            }
        }
        let required = [
            (has(members, "Effect"), "Effect"),
            (
                has(members, "Action") || has(members, "NotAction"),
                "Action",
            ),
            (has(members, "Resource"), "Resource"),
        ];
        for (present, element) in required {
            if !present {
                self.problems.push(Problem::MissingElement {
                    element,
                    pointer: pointer.to_string(),
                    span: node.span,
                });
            }
        }
        Some(statement)
    }

    /// A string or a non-empty array of strings.
    fn strings(
        &mut self,
        node: &JsonNode,
        pointer: &str,
        element: &str,
    ) -> Option<Vec<Located<String>>> {
        match &node.value {
            JsonValue::String(text) => Some(vec![Located {
                value: text.clone(),
                span: node.span,
                pointer: pointer.to_string(),
            }]),
            JsonValue::Array(items) => {
                if items.is_empty() {
                    self.problems.push(Problem::EmptyList {
                        element: element.to_string(),
                        pointer: pointer.to_string(),
                        span: node.span,
                    });
                }
                let mut values = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let at = format!("{pointer}/{index}");
                    match &item.value {
                        JsonValue::String(text) => values.push(Located {
                            value: text.clone(),
                            span: item.span,
                            pointer: at,
                        }),
                        _ => self.wrong_type(item, &at, "a string"),
                    }
                }
                Some(values)
            }
            _ => {
                self.wrong_type(node, pointer, "a string or an array of strings");
                None
            }
        }
    }

    fn condition(&mut self, node: &JsonNode, pointer: &str) -> Option<ConditionBlock> {
        let members = self.members(node, pointer, "an object (operator → key → values)")?;
        let mut block = ConditionBlock {
            operators: Vec::new(),
            span: node.span,
            pointer: pointer.to_string(),
        };
        for member in first_of_each(members) {
            let at = child(pointer, &member.key);
            let (qualifier, operator) = match parse_qualified(&member.key) {
                Some((qualifier, operator)) => (qualifier, Some(operator)),
                None => (None, None),
            };
            if operator.is_none() {
                self.problems.push(Problem::UnknownOperator {
                    operator: member.key.clone(),
                    pointer: at.clone(),
                    span: member.key_span,
                });
            }
            let Some(key_members) = self.members(&member.value, &at, "an object (key → values)")
            else {
                continue;
            };
            let mut keys = Vec::new();
            for key_member in first_of_each(key_members) {
                let key_at = child(&at, &key_member.key);
                let values = self.condition_values(&key_member.value, &key_at);
                keys.push(ConditionKey {
                    key: Located {
                        value: key_member.key.clone(),
                        span: key_member.key_span,
                        pointer: key_at,
                    },
                    values,
                });
            }
            block.operators.push(ConditionOperator {
                name: Located {
                    value: member.key.clone(),
                    span: member.key_span,
                    pointer: at,
                },
                operator,
                qualifier,
                keys,
            });
        }
        Some(block)
    }

    fn condition_values(&mut self, node: &JsonNode, pointer: &str) -> Vec<Located<ConditionValue>> {
        let scalar = |node: &JsonNode| match &node.value {
            JsonValue::String(text) => Some(ConditionValue::String(text.clone())),
            JsonValue::Number(text) => Some(ConditionValue::Number(text.clone())),
            JsonValue::Bool(flag) => Some(ConditionValue::Bool(*flag)),
            _ => None,
        };
        const EXPECTED: &str = "a string, number or boolean";
        match &node.value {
            JsonValue::Array(items) => {
                if items.is_empty() {
                    self.problems.push(Problem::EmptyList {
                        element: "condition values".into(),
                        pointer: pointer.to_string(),
                        span: node.span,
                    });
                }
                let mut values = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    let at = format!("{pointer}/{index}");
                    match scalar(item) {
                        Some(value) => values.push(Located {
                            value,
                            span: item.span,
                            pointer: at,
                        }),
                        None => self.wrong_type(item, &at, EXPECTED),
                    }
                }
                values
            }
            _ => match scalar(node) {
                Some(value) => vec![Located {
                    value,
                    span: node.span,
                    pointer: pointer.to_string(),
                }],
                None => {
                    self.wrong_type(
                        node,
                        pointer,
                        "a string, number, boolean or an array of them",
                    );
                    Vec::new()
                }
            },
        }
    }
}

/// The members whose name did not occur before (duplicates are reported separately).
fn first_of_each(members: &[JsonMember]) -> impl Iterator<Item = &JsonMember> {
    members
        .iter()
        .enumerate()
        .filter_map(move |(index, member)| {
            let earlier = members
                .get(..index)
                .unwrap_or_default()
                .iter()
                .any(|other| other.key == member.key);
            (!earlier).then_some(member)
        })
}

fn has(members: &[JsonMember], name: &str) -> bool {
    members.iter().any(|member| member.key == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, String)> {
        PolicyDocument::parse(text)
            .unwrap()
            .problems
            .iter()
            .map(|problem| (problem.kind().to_string(), problem.pointer().to_string()))
            .collect()
    }

    fn pair(kind: &str, pointer: &str) -> (String, String) {
        (kind.to_string(), pointer.to_string())
    }

    #[test]
    fn reads_a_full_document_with_positions() {
        let text = r#"{
  "Version": "1",
  "Statement": [
    {"Effect": "Deny", "NotAction": ["ecs:Describe*"], "Resource": ["acs:ecs:*:*:instance/*", "*"],
     "Condition": {"IpAddress": {"acs:SourceIp": ["10.0.0.0/8", 1, true]}}}
  ]
}"#;
        let document = PolicyDocument::parse(text).unwrap();
        assert!(document.problems.is_empty(), "{:?}", document.problems);
        let statement = &document.statements[0];
        assert_eq!(statement.span.start.line, 4);
        assert_eq!(statement.span.start.column, 5);
        let action = statement.action.as_ref().unwrap();
        assert_eq!(action.kind, ActionKind::NotAction);
        let resource = statement.resource.as_ref().unwrap();
        assert_eq!(resource.value[1].pointer, "/Statement/0/Resource/1");
        assert_eq!(resource.value[1].value, "*");
        let condition = statement.condition.as_ref().unwrap();
        let values = &condition.operators[0].keys[0].values;
        assert_eq!(values[1].value.as_text(), "1");
        assert_eq!(values[2].value.as_text(), "true");
        assert_eq!(
            values[2].pointer,
            "/Statement/0/Condition/IpAddress/acs:SourceIp/2"
        );
        assert_eq!(values[0].span.start.line, 5);
    }

    #[test]
    fn problems_are_reported_with_pointers() {
        assert_eq!(
            kinds(
                r#"{"Version":"2","Statement":[{"Sid":"a","Principal":"*","NotResource":"*","Effect":"allow","Action":"a","NotAction":"b","Resource":[]}]}"#
            ),
            vec![
                pair("invalid_version", "/Version"),
                pair("unknown_element", "/Statement/0/Sid"),
                pair("unknown_element", "/Statement/0/Principal"),
                pair("unknown_element", "/Statement/0/NotResource"),
                pair("invalid_effect", "/Statement/0/Effect"),
                pair("action_and_not_action", "/Statement/0"),
                pair("empty_list", "/Statement/0/Resource"),
            ]
        );
        assert_eq!(
            kinds(
                r#"{"Statement":[3, {"Action":["a", 2], "Condition": {"StringEqualsIfExists": {"k": null}}}]}"#
            ),
            vec![
                pair("wrong_type", "/Statement/0"),
                pair("wrong_type", "/Statement/1/Action/1"),
                pair(
                    "unknown_operator",
                    "/Statement/1/Condition/StringEqualsIfExists"
                ),
                pair(
                    "wrong_type",
                    "/Statement/1/Condition/StringEqualsIfExists/k"
                ),
                pair("missing_element", "/Statement/1"),
                pair("missing_element", "/Statement/1"),
                pair("missing_element", "/"),
            ]
        );
        assert_eq!(
            kinds(
                r#"{"Version":"1","Statement":{"Effect":"Allow","Action":"a","Resource":"*","Effect":"Deny"}}"#
            ),
            vec![
                pair("single_statement_object", "/Statement"),
                pair("duplicate_element", "/Statement/Effect"),
            ]
        );
        assert_eq!(kinds("[]"), vec![pair("wrong_type", "/")]);
        assert_eq!(
            kinds(r#"{"Version":1,"Statement":"x","a/b":1}"#),
            vec![
                pair("wrong_type", "/Version"),
                pair("wrong_type", "/Statement"),
                pair("unknown_element", "/a~1b"),
            ]
        );
    }

    #[test]
    fn malformed_json_is_an_error_with_a_position() {
        let error = PolicyDocument::parse("{\n \"Version\": \"1\",\n}").unwrap_err();
        assert_eq!(error.position(), (2, 16));
    }

    #[test]
    fn the_seed_example_parses() {
        let text = include_str!("../../tests/data/eval/seed-example.json");
        let document = PolicyDocument::parse(text).unwrap();
        assert!(document.problems.is_empty(), "{:?}", document.problems);
        let statement = &document.statements[0];
        assert_eq!(
            statement.action.as_ref().unwrap().patterns[0].value,
            "ecs:[ECS RAM Action]"
        );
    }
}

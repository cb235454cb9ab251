//! Whether this answer agrees with what RAM decided (when the input says it), and if not, why it
//! may not.

use super::analysis::StatementAnalysis;
use super::{context_keys, Agreement, Call, Policies, RamVerdict};
use crate::eval::Decision;

pub(super) fn agreement(
    policies: &Policies,
    ram: &RamVerdict,
    ours: Decision,
    call: &Call,
    analyses: &[StatementAnalysis<'_>],
) -> Agreement {
    let given: Vec<String> = policies
        .names()
        .iter()
        .map(|name| policy_stem(name).to_ascii_lowercase())
        .collect();
    let policies_not_given: Vec<String> = ram
        .matched_policies
        .iter()
        .filter(|name| !given.contains(&name.to_ascii_lowercase()))
        .cloned()
        .collect();
    let absent: Vec<String> = context_keys(analyses)
        .into_iter()
        .filter(|key| key.values.is_none())
        .map(|key| format!("`{}`", key.key))
        .collect();
    let ours_denied = ours != Decision::Allow;
    let agrees = match (ram.denied, ram.deny_kind) {
        (None, _) => None,
        // Undetermined is consistent with either answer: RAM knew the keys the input lacks.
        _ if ours == Decision::Indeterminate => None,
        (Some(denied), _) if denied != ours_denied => Some(false),
        (Some(true), Some(kind)) => Some(kind == ours),
        (Some(_), _) => Some(true),
    };
    let ours_text = match ours {
        Decision::Allow => "allowed",
        Decision::ExplicitDeny => "denied (explicit deny)",
        Decision::ImplicitDeny => "denied (no statement allows it)",
        Decision::Indeterminate => {
            "undetermined (depends on condition keys not known from the input)"
        }
    };
    let mut reasons = Vec::new();
    if agrees == Some(false) {
        if !policies_not_given.is_empty() {
            let quoted: Vec<String> = policies_not_given
                .iter()
                .map(|name| format!("`{name}`"))
                .collect();
            reasons.push(format!(
                "RAM matched {} ({}), which {} not among the given policies",
                if policies_not_given.len() == 1 {
                    "a policy"
                } else {
                    "policies"
                },
                quoted.join(", "),
                if policies_not_given.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            ));
        }
        match (ram.denied, ours) {
            (Some(false), _) => reasons.push(
                "a policy that allows the call was not supplied: policies of the user's groups, system policies such as `AliyunECSFullAccess`, or another version of a given policy".to_string(),
            ),
            (Some(true), Decision::Allow) => reasons.push(
                "a policy that denies the call was not supplied: another attached or group policy, a control policy (Resource Directory) or an STS session policy".to_string(),
            ),
            (Some(true), Decision::ImplicitDeny) => reasons.push(
                "RAM found a matching `Deny` in a policy that was not supplied".to_string(),
            ),
            (Some(true), Decision::ExplicitDeny) => reasons.push(
                "a `Deny` statement given here did not match in RAM: a condition value differs, or the attached policy version differs from the file".to_string(),
            ),
            _ => {}
        }
        if !absent.is_empty() {
            reasons.push(format!(
                "context key {} {} absent from the input, and RAM had the real value{}",
                absent.join(", "),
                if absent.len() == 1 { "is" } else { "are" },
                if absent.len() == 1 { "" } else { "s" }
            ));
        }
        if call
            .resources
            .iter()
            .any(|resource| crate::actiontrail::is_masked(&resource.arn))
        {
            reasons.push("an ARN is built from ids masked by the input, so it does not name the real resource".to_string());
        }
        reasons.push(
            "an undocumented rule: RAM does not document how it treats absent condition keys, whether `*` crosses `:` in ARNs, or ARN letter case".to_string(),
        );
    }
    let message = match agrees {
        None if ours == Decision::Indeterminate && ram.denied.is_some() => format!(
            "RAM said {}, according to {}; these policies give {ours_text}, so RAM's answer tells how the keys not known here were set",
            ram.said, ram.source
        ),
        Some(true) => format!(
            "RAM said {}, according to {}; this answer agrees",
            ram.said, ram.source
        ),
        Some(false) => format!(
            "RAM said {}, according to {}, but these policies give {ours_text}: the answers DISAGREE",
            ram.said, ram.source
        ),
        None => format!(
            "RAM's decision is not known from the input ({}: {})",
            ram.source, ram.said
        ),
    };
    Agreement {
        ram: ram.clone(),
        agrees,
        message,
        reasons,
        policies_not_given,
    }
}

/// A policy's name without directories and `.json`: `policies/MyPolicy.json` → `MyPolicy`.
pub fn policy_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".json").unwrap_or(base)
}

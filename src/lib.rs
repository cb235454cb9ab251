//! `ram-policy`: write, check, explain and generate Alibaba Cloud RAM policies for ECS.
//!
//! The data flows one way: **catalog → request → policy → evaluator → explain | lint | generate**.
//! The types and functions most callers need are re-exported here, at the crate root:
//!
//! ```
//! use ram_policy::{evaluate, lint, Decision, PolicySet, Request};
//! let policy = r#"{"Version": "1", "Statement": [{"Effect": "Allow",
//!     "Action": "ecs:DescribeInstances", "Resource": "*"}]}"#;
//! assert!(lint(policy).is_empty());
//! let set = PolicySet::parse(&[("p.json", policy)]).unwrap();
//! let mut request = Request::new("ecs:DescribeInstances");
//! request.account = Some("1234567890123456".into());
//! request.region = Some("cn-hangzhou".into());
//! assert_eq!(evaluate(&set, &request).unwrap().decision, Decision::Allow);
//! ```
//!
//! # Modules
//! The public modules, in the order of the data flow:
//! - [`catalog`]: the RAM authorization table as data, in two editions; [`arn`]: ARNs.
//! - [`request`]: a concrete API call; [`resolve`]: a request → the exact ARNs RAM checks;
//!   [`context`]: the rules for condition-key values a caller supplies.
//! - [`policy`]: policy documents with positions and JSON pointers, over [`json`] (span-aware
//!   JSON); [`wildcard`]: what `*` and `?` mean; [`condition`]: operators, keys and values;
//!   [`facts`]: facts about RAM itself (the size limit, regions, private ranges).
//! - [`eval`]: the reference and compiled evaluators.
//! - [`explain`], [`lint`], [`generate`]: the three analyses; [`actiontrail`] and [`diagnostic`]:
//!   the logs and denial messages `explain` and `generate` read.
//! - [`facade`]: one typed function per feature, what the CLI and the WebAssembly module call;
//!   [`error`]: its error type; [`input`], [`text`] and `walk` (feature `walk`): what a front end
//!   needs to read files and print safely.
//! - `workload` (feature `workload`): the benchmarks' deterministic generator, not otherwise part
//!   of the library.
//!
//! The splitter of streaming inputs and the did-you-mean helpers are private.
#![forbid(unsafe_code)]

pub mod actiontrail;
pub mod arn;
pub mod catalog;
pub mod compact;
pub mod condition;
pub mod context;
pub mod diagnostic;
pub mod diff;
pub mod error;
pub mod eval;
pub mod explain;
pub mod facade;
pub mod facts;
pub mod generate;
pub mod input;
pub mod json;
pub mod lint;
pub mod policy;
pub mod request;
pub mod resolve;
mod sort;
mod stream;
mod suggest;
pub mod text;
pub mod time;
#[cfg(feature = "walk")]
pub mod walk;
pub mod wildcard;
#[cfg(feature = "workload")]
pub mod workload;

#[cfg(test)]
#[path = "../tests/common/shared.rs"]
mod test_support;

pub use actiontrail::{read_events, Event};
pub use catalog::{Catalog, Edition};
pub use error::Error;
pub use eval::{evaluate, CompiledPolicySet, Decision, Evaluation, PolicySet};
pub use explain::{explain, Call, Explanation, Policies};
pub use generate::{Generator, Options as GenerateOptions};
pub use lint::{lint, lint_with, Finding, Severity};
pub use policy::PolicyDocument;
pub use request::Request;
pub use resolve::resolve;
pub use wildcard::{CaseRule, Pattern, PatternSet};

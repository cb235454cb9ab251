//! `ram-policy`: write, check, explain and generate Alibaba Cloud RAM policies for ECS.
//!
//! The data flows one way: **catalog → request → policy → evaluator → explain | lint | generate**.
//!
//! - [`catalog`]: the seed's RAM authorization table as data (`src/catalog/ecs.json`).
//! - [`arn`]: the `acs:<service>:<region>:<account>:<resource>` type.
//! - [`request`]: a concrete API call (action, parameters, account, region, context).
//! - [`resolve`]: a request → the exact ARNs RAM checks.
#![forbid(unsafe_code)]

pub mod actiontrail;
pub mod arn;
pub mod catalog;
pub mod compact;
pub mod condition;
pub mod context;
pub mod diagnostic;
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
pub mod stream;
pub mod suggest;
#[cfg(test)]
mod test_support;
pub mod text;
pub mod time;
#[cfg(feature = "walk")]
pub mod walk;
pub mod wildcard;
pub mod workload;

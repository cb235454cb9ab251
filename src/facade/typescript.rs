//! The TypeScript declarations of the facade's JSON (`src/facade/facade.d.ts`), generated from
//! the Rust types with `ts-rs` and appended by the WebAssembly module to its `.d.ts`.
//!
//! `cargo test --lib facade::typescript` fails when the committed file is stale; run it with
//! `UPDATE_TYPESCRIPT=1` to rewrite the file.

use super::evaluation::EvaluationView;
use super::form::RequestForm;
use super::types::{self, *};
use ts_rs::{Config, TypeVisitor, TS};

/// Where the declarations are committed.
const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/facade/facade.d.ts");

const HEADER: &str = "\
// The JSON of the WebAssembly exports, generated from the facade's Rust types (src/facade/)
// by `UPDATE_TYPESCRIPT=1 cargo test --lib facade::typescript`. Do not edit.

/** JSON text whose parsed value has type `T` (a string at run time). */
export type JsonText<T> = string & { readonly __json?: T };

/** A failure's stable kind; other kinds may be added. */
export type ErrorKind =
  | \"malformed_json\" | \"wrong_type\" | \"missing_member\" | \"unknown_member\"
  | \"duplicate_member\" | \"invalid_context_value\" | \"invalid_value\" | \"duplicate_parameter\"
  | \"unknown_action\" | \"unsupported_service\" | \"missing_parameter\" | \"missing_account\"
  | \"missing_region\" | \"bad_parameter\" | \"malformed_policy_json\" | \"invalid_policy\"
  | \"no_calls\" | \"catalog\" | \"input\" | \"trap\"
  | string;
";

/// Collects a declaration for each type and, depth first, for each type it uses, once.
struct Declarations {
    config: Config,
    seen: std::collections::HashSet<std::any::TypeId>,
    /// By name, so the file's order does not depend on the order of the visits.
    out: std::collections::BTreeMap<String, String>,
}

impl TypeVisitor for Declarations {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Primitives and containers have no declaration of their own.
        if T::output_path().is_none() || !self.seen.insert(std::any::TypeId::of::<T>()) {
            return;
        }
        let mut text = String::from("\n");
        if let Some(docs) = T::docs() {
            text.push_str(&docs);
        }
        text.push_str("export ");
        text.push_str(&T::decl(&self.config));
        text.push('\n');
        self.out.insert(T::ident(&self.config), text);
        T::visit_dependencies(self);
    }
}

/// Every declaration: each export's input and output types and what they use.
fn declarations() -> String {
    let mut declarations = Declarations {
        config: Config::new().with_large_int("number"),
        seen: Default::default(),
        out: Default::default(),
    };
    macro_rules! declare {
        ($($type:ty),* $(,)?) => {$( declarations.visit::<$type>(); )*};
    }
    declare!(
        ErrorOutput,
        EditionChoice,
        CatalogView<'static>,
        RequestDocument,
        types::Resolution<'static>,
        LintOutput,
        RulesOutput,
        PolicyText,
        OptionsInput,
        ExplainKind,
        EvaluationView<'static>,
        ExplainOutput<'static>,
        crate::diff::DiffReport,
        EvaluationAndExplanation<'static>,
        RequestForm,
        crate::generate::OptionsSpec,
        GenerateOutput<'static>,
    );
    let mut out = String::from(HEADER);
    out.extend(declarations.out.into_values());
    out
}

#[test]
fn declarations_are_current() {
    #![allow(clippy::panic, clippy::expect_used)]
    let generated = declarations();
    if std::env::var_os("UPDATE_TYPESCRIPT").is_some() {
        std::fs::write(PATH, &generated).expect("writing src/facade/facade.d.ts");
        return;
    }
    let committed = std::fs::read_to_string(PATH).unwrap_or_default();
    if committed != generated {
        panic!(
            "src/facade/facade.d.ts is stale: run `UPDATE_TYPESCRIPT=1 cargo test --lib facade::typescript` and commit it"
        );
    }
}

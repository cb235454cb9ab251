//! The `ram-policy` command: a thin shell over the library's facade.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand, ValueEnum};
use ram_policy::catalog::{Catalog, Edition};
use ram_policy::{facade, input, text};
use ram_policy::{Error, Request};
use std::io::Write;
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (for eval/explain: the request is allowed)
  1  the request is denied, or the answer depends on condition keys not known from the input
     (eval, explain: `Indeterminate`)
  2  bad input or usage: unreadable file, malformed JSON, unknown action, missing parameter";

#[derive(Parser)]
#[command(name = "ram-policy", version, about = "Write, check and explain Alibaba Cloud RAM policies for ECS", after_help = EXIT_CODES)]
struct Cli {
    /// Which authorization data decides: `current` (today's RAM reference over the seed's 2020
    /// table; the default) or `seed` (the 2020 table alone). Also RAM_POLICY_CATALOG_EDITION;
    /// the option wins
    #[arg(long, global = true, value_name = "seed|current")]
    catalog_edition: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// List the catalog: every action with its access level, the ARNs RAM checks, its condition keys and their source
    #[command(after_help = EXIT_CODES)]
    Actions {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Explain why a call is allowed or denied, where in the policies, and the smallest fix
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// Resolve a request to the exact ARNs RAM checks
    #[command(after_help = EXIT_CODES)]
    Resolve {
        /// The request JSON file, or `-` for standard input
        request: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Evaluate a request against policies: Allow, ExplicitDeny or ImplicitDeny
    #[command(after_help = EXIT_CODES)]
    Eval {
        /// A policy JSON file, or a directory walked for `*.json` files (sorted); repeatable
        #[arg(long = "policy", required = true, value_name = "FILE|DIR")]
        policies: Vec<String>,
        #[command(flatten)]
        walk: WalkArgs,
        /// The request JSON file, or `-` for standard input
        #[arg(long, value_name = "FILE|-")]
        request: String,
        /// A context key and value (repeat a key for several values); replaces the request's
        #[arg(long = "context", value_name = "KEY=VALUE")]
        context: Vec<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Lint policy documents: files, directories (every `*.json`, recursively) or `-` for stdin
    #[command(after_help = LINT_EXIT_CODES)]
    Lint(lint_command::LintArgs),
    /// List every lint check with its severity and summary
    Rules {
        #[arg(long, value_enum, default_value_t = lint_command::RulesFormat::Text)]
        format: lint_command::RulesFormat,
    },
    /// Generate a least-privilege policy from intended calls or ActionTrail logs
    #[command(after_help = GENERATE_HELP)]
    Generate(GenerateArgs),
    /// Compare two policy sets: what NEW allows that OLD did not, and the reverse, each with a
    /// witness request the evaluator decided
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
}

const DIFF_HELP: &str = "\
Each difference carries a witness: a request (action, account, region, parameters, context)
and the ARNs RAM checks for it, allowed by one side and denied by the other by the evaluator.
A difference the search cannot prove or rule out is reported as `possible`, with the reason.
See docs/diff.md.

Exit codes:
  0  NEW allows nothing OLD denied (with --fail-on any-change: nothing changed either way)
  1  NEW allows something OLD denied, exactly or possibly (with --fail-on any-change: any
     difference either way)
  2  bad input or usage: unreadable file, malformed JSON, a policy with errors, both sides `-`";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Exit 1 when NEW allows something OLD did not.
    NewAccess,
    /// Exit 1 on any difference, either way.
    AnyChange,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The old policies: a file, a directory walked for `*.json` files (sorted), or `-`
    #[arg(value_name = "OLD")]
    old: String,
    /// The new policies: a file, a directory, or `-` (only one side may be `-`)
    #[arg(value_name = "NEW")]
    new: String,
    #[command(flatten)]
    walk: WalkArgs,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// What makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::NewAccess)]
    fail_on: FailOn,
}

const GENERATE_HELP: &str = "\
The policy goes to standard output (or, with --split, to DIR/policy-1.json, policy-2.json, ...;
DIR must be new, empty or hold only an earlier --split run's files, which are replaced);
the summary (records read, used, skipped by reason, size, widenings) to standard error.
Sizes are counted in characters without insignificant whitespace. With --emit-calls, the
distinct calls and their counts go to standard output instead (JSON Lines), to be merged with
--from-calls: a log read in parts gives the policy of one pass. See docs/generate.md.

Exit codes:
  0  a policy was generated (with --emit-calls: the calls were written)
  2  bad input or usage, no usable call, or a policy that cannot fit --max-size without --split";

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["requests", "actiontrail", "from_calls"])))]
struct GenerateArgs {
    /// Requests as for `resolve` (a JSON array or JSON lines), or `-` for standard input
    #[arg(long, value_name = "FILE|-")]
    requests: Option<String>,
    /// ActionTrail events (single, array, JSON lines, a Log Service export, a LookupEvents
    /// response; gzip-compressed or not), or `-`
    #[arg(long, value_name = "FILE|-")]
    actiontrail: Option<String>,
    /// Keep only events of this principal (userName, principalId, role name or ARN; `*` and `?` allowed)
    #[arg(long, value_name = "P")]
    principal: Option<String>,
    /// Keep only events at or after this time (ISO 8601)
    #[arg(long, value_name = "T")]
    since: Option<String>,
    /// Keep only events before this time (ISO 8601)
    #[arg(long, value_name = "T")]
    until: Option<String>,
    /// Count failed calls (`errorCode` set) too
    #[arg(long)]
    include_failed: bool,
    /// Replace ids by `<type>/*` (ids), and regions by `*` too (regions)
    #[arg(long, value_name = "none|ids|regions", default_value = "none")]
    generalize: String,
    /// The largest policy, in characters without insignificant whitespace
    #[arg(long, value_name = "N", default_value_t = ram_policy::generate::DEFAULT_MAX_SIZE)]
    max_size: usize,
    /// When one policy cannot fit, write several as DIR/policy-1.json, policy-2.json, ...
    #[arg(long, value_name = "DIR")]
    split: Option<std::path::PathBuf>,
    /// Add the observed values of this context key as a condition (`acs:SourceIp`); repeatable
    #[arg(long = "condition", value_name = "KEY")]
    conditions: Vec<String>,
    /// Write the distinct calls and their counts (JSON Lines) instead of a policy: the map step
    /// of a log read in parts; merge the parts with --from-calls
    #[arg(long, conflicts_with_all = ["split", "generalize", "max_size", "format", "from_calls"])]
    emit_calls: bool,
    /// Make the policy from calls files that --emit-calls wrote (one per part of a log): the
    /// same policy as one pass over the whole log
    #[arg(long, value_name = "FILE", num_args = 1..,
          conflicts_with_all = ["principal", "since", "until", "include_failed", "conditions"])]
    from_calls: Vec<String>,
    /// Threads for reading ActionTrail events (0: one per core; 1: no other thread); the output
    /// is the same with any number
    #[arg(long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// How the summary on standard error is written
    #[arg(long, value_enum, default_value_t = Format::Text)]
    summary_format: Format,
    /// `json`: print `{"policy", "policy_text", "summary"}` (with --split: `{"policies",
    /// "policy_texts", "summary"}`) or `{"error"}` instead of the policy, the value of the
    /// WebAssembly `generate` export
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

const EXPLAIN_HELP: &str = "\
With several ActionTrail events, each denied one (`errorCode` set) is explained, or every one
with --all; a single event is always explained. When the input has no `acs:CurrentTime`, the
CLI fills it from the clock and says so where a policy consults it.

Exit codes:
  0  the call is allowed (every explained call, for ActionTrail)
  1  the call is denied, or the answer depends on condition keys not known from the input
     (any explained call, for ActionTrail)
  2  bad input or usage: unreadable file, malformed JSON, a policy with errors, unknown action,
     missing parameter, an ActionTrail record that cannot be explained";

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err((error, format, source)) => {
            report(&error, format, &source);
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}

type Failure = (Error, Format, String);

/// Sets the process's catalog edition from `--catalog-edition`, else the environment variable
/// (an invalid value of either is a usage error, exit 2).
fn choose_edition(option: Option<&str>) -> Result<Edition, Error> {
    let chosen = match option {
        Some(name) => Some(Edition::parse(name)),
        None => Edition::from_env(),
    };
    let edition = chosen
        .transpose()
        .map_err(|error| Error::Input {
            message: format!(
                "{error} (from {})",
                if option.is_some() {
                    "--catalog-edition"
                } else {
                    ram_policy::catalog::EDITION_ENV
                }
            ),
        })?
        .unwrap_or_default();
    edition.set_default();
    Ok(edition)
}

fn run(cli: Cli) -> Result<u8, Failure> {
    choose_edition(cli.catalog_edition.as_deref())
        .map_err(|error| (error, Format::Text, String::new()))?;
    match cli.command {
        Command::Lint(args) => Ok(lint_command::run(&args)),
        Command::Rules { format } => {
            lint_command::rules(format);
            Ok(0)
        }
        Command::Actions { format } => {
            let fail = |error| (error, format, String::new());
            match format {
                Format::Json => print_json(&facade::catalog().map_err(fail)?),
                Format::Text => print(&text::catalog(
                    Catalog::embedded().map_err(|e| fail(e.into()))?,
                )),
            }
            Ok(0)
        }
        Command::Explain(args) => explain(args),
        Command::Resolve { request, format } => {
            let fail = |error| (error, format, input::display_name(&request));
            let body = input::read_text(&request).map_err(fail)?;
            let resolution = facade::resolve_request_text(body).map_err(fail)?;
            // Printed as it is rendered, neither the text nor a JSON value built whole first.
            match format {
                Format::Json => print_json(&facade::resolution_json(&resolution)),
                Format::Text => write_text(|out| text::write_resolution(out, &resolution)),
            }
            Ok(0)
        }
        Command::Eval {
            policies,
            walk,
            request,
            context,
            format,
        } => {
            let fail = |error| (error, format, String::new());
            let files = read_policies(&policies, &walk).map_err(fail)?;
            let body = input::read_text(&request).map_err(fail)?;
            let fail_request = |error| (error, format, input::display_name(&request));
            let parsed = Request::from_json(&body).map_err(|e| fail_request(e.into()))?;
            // The text is not needed once read (23.8 MB for 600,000 security groups).
            drop(body);
            let mut options = facade::CallOptions {
                context: context_pairs(&context).map_err(fail)?,
                current_time: None,
            };
            options.current_time = current_time_for(&parsed, &options, &files);
            // What the WebAssembly `evaluate` export does once it has parsed the request
            // (`facade::evaluate_json` → `evaluate_report`).
            let evaluation =
                facade::evaluate_parsed_report(&files, parsed, &options).map_err(|error| {
                    match error {
                        Error::Policy(_) => fail(error),
                        other => fail_request(other),
                    }
                })?;
            match format {
                Format::Json => print_json(&facade::EvaluationJson(&evaluation)),
                Format::Text => write_text(|out| text::write_evaluation(out, &evaluation)),
            }
            Ok(
                if evaluation.decision == ram_policy::eval::Decision::Allow {
                    0
                } else {
                    1
                },
            )
        }
        Command::Generate(args) => generate(args),
        Command::Diff(args) => diff(&args),
    }
}

fn diff(args: &DiffArgs) -> Result<u8, Failure> {
    let format = if args.format == DiffFormat::Json {
        Format::Json
    } else {
        Format::Text
    };
    let fail = |error| (error, format, String::new());
    if args.old == "-" && args.new == "-" {
        return Err(fail(Error::Input {
            message: "only one of OLD and NEW can be `-` (standard input)".into(),
        }));
    }
    let old = read_policies(std::slice::from_ref(&args.old), &args.walk).map_err(fail)?;
    let new = read_policies(std::slice::from_ref(&args.new), &args.walk).map_err(fail)?;
    let report = ram_policy::diff::diff_sources(&old, &new).map_err(fail)?;
    match args.format {
        DiffFormat::Json => print_json(&report),
        DiffFormat::Sarif => {
            let files: Vec<&str> = new.iter().map(|(name, _)| name.as_str()).collect();
            print_json(&ram_policy::diff::to_sarif(&report, &files));
        }
        DiffFormat::Text => print(&ram_policy::diff::to_text(&report)),
    }
    let failed = match args.fail_on {
        FailOn::NewAccess => report.has_new_access(),
        FailOn::AnyChange => report.has_changes(),
    };
    Ok(u8::from(failed))
}

fn generate(args: GenerateArgs) -> Result<u8, Failure> {
    use ram_policy::generate::{Generator, OptionsSpec};
    let (kind, path) = match (&args.requests, &args.actiontrail, args.from_calls.first()) {
        (Some(path), _, _) => ("requests", path.clone()),
        (None, Some(path), _) => ("actiontrail", path.clone()),
        (None, None, Some(path)) => ("requests", path.clone()),
        (None, None, None) => ("requests", "-".to_string()),
    };
    let source = input::display_name(&path);
    let format = args.format;
    let fail = |error: Error| (error, format, source.clone());
    let spec = OptionsSpec {
        input: Some(kind.into()),
        principal: args.principal,
        since: args.since,
        until: args.until,
        include_failed: args.include_failed,
        generalize: Some(args.generalize),
        max_size: Some(args.max_size),
        split: args.split.is_some(),
        conditions: args.conditions,
    };
    let generator = if args.from_calls.is_empty() {
        let (kind, mut options) = spec.resolve().map_err(|e| fail(e.into()))?;
        options.threads = args.threads;
        let mut generator = Generator::new(options).map_err(|e| fail(e.into()))?;
        if args.emit_calls {
            generator.keep_calls();
        }
        // Either input may be gzip-compressed (`.gz`): it is decompressed as it is read.
        generator.read(kind, input::open_events(&path).map_err(fail)?);
        generator
    } else {
        merge_calls(spec, &args.from_calls, format)?
    };
    if args.emit_calls {
        return emit_calls(generator, args.summary_format, &source);
    }
    let generation = generator.finish();
    let mut written = Vec::new();
    let mut removed = Vec::new();
    let mut replaced = 0;
    let outcome = match (&generation.result, &args.split) {
        (Ok(output), Some(dir)) => match split::write(dir, &output.texts) {
            Ok(done) => {
                written.extend(done.files.iter().map(|file| file.display().to_string()));
                removed.extend(done.removed.iter().map(|file| file.display().to_string()));
                replaced = done.replaced;
                Ok(())
            }
            Err(message) => Err(Error::Input {
                message: format!(
                    "cannot write the policies to `{}`: {message}",
                    dir.display()
                ),
            }),
        },
        (Ok(output), None) => {
            if format == Format::Text {
                for text in &output.texts {
                    print(text);
                }
            }
            Ok(())
        }
        (Err(error), _) => Err(error.clone().into()),
    };
    if format == Format::Json {
        // `Generation::to_json` is what `facade::generate` (the WebAssembly export) returns.
        print_json(&match &outcome {
            Ok(()) => facade::to_json(generation.to_json().map_err(Error::from)),
            Err(error) => error.to_json(),
        });
    }
    let mut stderr = std::io::stderr().lock();
    match args.summary_format {
        Format::Json => {
            let mut summary = generation.summary.to_json();
            if let Some(object) = summary.as_object_mut() {
                object.insert("files".into(), serde_json::json!(written));
                if args.split.is_some() {
                    object.insert("removed_files".into(), serde_json::json!(removed));
                    object.insert("replaced_files".into(), serde_json::json!(replaced));
                }
                if let Err(error) = &outcome {
                    let body = error.to_json().get("error").cloned().unwrap_or_default();
                    object.insert("error".into(), body);
                }
            }
            let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
            let _ = writeln!(stderr, "{text}");
        }
        Format::Text => {
            let _ = stderr.write_all(generation.summary.to_text().as_bytes());
            for file in &written {
                let _ = writeln!(stderr, "wrote {}", text::escape(file));
            }
            if replaced > 0 {
                let _ = writeln!(
                    stderr,
                    "replaced {} of an earlier --split run",
                    text::plural(replaced, "file", "files")
                );
            }
            for file in &removed {
                let _ = writeln!(
                    stderr,
                    "removed {} (written by an earlier --split run, not needed now)",
                    text::escape(file)
                );
            }
        }
    }
    match outcome {
        Ok(()) => Ok(0),
        Err(error) => {
            if args.summary_format == Format::Text {
                let _ = writeln!(
                    stderr,
                    "error: {}",
                    text::escape(&format!("{source}: {error}"))
                );
            }
            Ok(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}

/// `generate --from-calls`: one generator fed with every calls file, made with the `--condition`
/// keys of the first file's header (each file must have the same).
fn merge_calls(
    mut spec: ram_policy::generate::OptionsSpec,
    files: &[String],
    format: Format,
) -> Result<ram_policy::generate::Generator, Failure> {
    use ram_policy::generate::{read_calls_header, Generator};
    let mut merged: Option<Generator> = None;
    for path in files {
        let name = input::display_name(path);
        let fail = |error: Error| (error, format, name.clone());
        let unusable = |error: ram_policy::generate::CallsFileError| {
            fail(Error::Input {
                message: format!("not a usable calls file: {error}"),
            })
        };
        let mut reader = input::open_events(path).map_err(fail)?;
        let header = read_calls_header(&mut reader).map_err(unusable)?;
        let generator = match &mut merged {
            Some(generator) => generator,
            None => {
                spec.conditions.clone_from(&header.conditions);
                let (_, options) = spec.resolve().map_err(|e| fail(e.into()))?;
                merged.insert(Generator::new(options).map_err(|e| fail(e.into()))?)
            }
        };
        generator.add_calls(&header, reader).map_err(unusable)?;
    }
    merged.ok_or_else(|| {
        let message = "--from-calls needs at least one file".to_string();
        (Error::Input { message }, format, "-".to_string())
    })
}

/// `generate --emit-calls`: the calls file on standard output, the summary on standard error.
fn emit_calls(
    generator: ram_policy::generate::Generator,
    summary_format: Format,
    source: &str,
) -> Result<u8, Failure> {
    let (summary, lines) = generator.finish_calls();
    let mut stderr = std::io::stderr().lock();
    match summary_format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&summary.to_json()).unwrap_or_default();
            let _ = writeln!(stderr, "{text}");
        }
        Format::Text => {
            let _ = stderr.write_all(summary.to_text().as_bytes());
        }
    }
    let lines = lines.map_err(|error| (error.into(), Format::Text, source.to_string()))?;
    let mut stdout = std::io::stdout().lock();
    for line in &lines {
        let _ = writeln!(stdout, "{line}");
    }
    Ok(0)
}

/// How directories given on the command line are walked (`src/walk.rs`); shared by every
/// command that takes a directory.
#[derive(clap::Args, Clone, Copy)]
pub struct WalkArgs {
    /// In directories, also read hidden files and folders, `node_modules` and paths that
    /// `.gitignore`/`.ignore` files exclude
    #[arg(long)]
    no_ignore: bool,
    /// In directories, follow symlinks (never to a file or folder outside the directory, and
    /// never to a file already read)
    #[arg(long)]
    follow: bool,
}

impl WalkArgs {
    pub fn options(self) -> ram_policy::walk::WalkOptions {
        ram_policy::walk::WalkOptions {
            no_ignore: self.no_ignore,
            follow: self.follow,
        }
    }
}

/// Prints the walker's notes on standard error (`note: skipped …`).
pub fn print_notes(notes: &[String]) {
    let mut stderr = std::io::stderr().lock();
    for note in notes {
        let _ = writeln!(stderr, "note: {}", text::escape(note));
    }
}

/// The policy files of `--policy` paths, walking directories; the walker's notes are printed.
fn read_policies(paths: &[String], walk: &WalkArgs) -> Result<Vec<(String, String)>, Error> {
    let read = input::read_policy_files(paths, walk.options())?;
    print_notes(&read.notes);
    Ok(read.files)
}

/// `--context KEY=VALUE` pairs; they replace the request's values for those keys.
fn context_pairs(pairs: &[String]) -> Result<Vec<(String, String)>, Error> {
    let mut given = Vec::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Error::Input {
                message: format!("`--context {pair}` must be KEY=VALUE"),
            });
        };
        if key.is_empty() {
            return Err(Error::Input {
                message: format!("`--context {pair}` has an empty key"),
            });
        }
        // The one rule for context values (`ram_policy::check_context`): empty or unreadable → refused.
        ram_policy::check_context_key(key)
            .and_then(|()| ram_policy::check_context_value(key, value))
            .map_err(|error| Error::Context {
                place: format!("`--context {pair}`"),
                error: Box::new(error),
            })?;
        given.push((key.to_string(), value.to_string()));
    }
    Ok(given)
}

/// `acs:CurrentTime` from the clock by the facade's one rule ([`facade::current_time`]); when
/// the request and `--context` do not give it, the CLI says so.
fn current_time_for(
    request: &Request,
    options: &facade::CallOptions,
    files: &[(String, String)],
) -> Option<String> {
    let value = facade::current_time(files, now)?;
    let with_clock = facade::CallOptions {
        current_time: Some(value.clone()),
        ..options.clone()
    };
    if with_clock.apply_to(&mut request.context.clone()) {
        let _ = writeln!(
            std::io::stderr(),
            "note: the request has no `{}`; using the clock: {value}",
            facade::CURRENT_TIME
        );
    }
    Some(value)
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["request", "actiontrail", "error"])))]
struct ExplainArgs {
    /// A policy file, or a directory walked for `*.json` files (sorted); repeatable
    #[arg(long = "policy", value_name = "FILE|DIR", required = true)]
    policies: Vec<String>,
    #[command(flatten)]
    walk: WalkArgs,
    /// The request, as for `resolve` (`-` for standard input)
    #[arg(long, value_name = "FILE|-")]
    request: Option<String>,
    /// ActionTrail events: one event, a JSON array, JSON lines, a Log Service export, a
    /// LookupEvents response; gzip-compressed or not
    #[arg(long, value_name = "FILE|-")]
    actiontrail: Option<String>,
    /// With --actiontrail: explain every event, not only the denied ones (`errorCode` set)
    #[arg(long, requires = "actiontrail")]
    all: bool,
    /// An ECS error body with `AccessDeniedDetail`, or a `DecodeDiagnosticMessage` response
    #[arg(long, value_name = "FILE|-")]
    error: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// A condition key's value, e.g. `acs:SourceIp=203.0.113.7`; replaces the input's value
    /// of that key (repeat a key for several values)
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Text: show a statement's source lines under every resource it is named for, not only
    /// the first time
    #[arg(long)]
    verbose: bool,
}

fn explain(args: ExplainArgs) -> Result<u8, Failure> {
    use ram_policy::explain::{InputKind, Options};
    let format = args.format;
    let fail = |source: &str| {
        let source = input::display_name(source);
        move |error| (error, format, source)
    };
    let sources = read_policies(&args.policies, &args.walk)
        .map_err(|error| (error, format, String::new()))?;
    let (kind, path) = match (&args.request, &args.actiontrail, &args.error) {
        (Some(path), _, _) => (InputKind::Request, path),
        (_, Some(path), _) => (InputKind::ActionTrail { all: args.all }, path),
        (_, _, Some(path)) => (InputKind::Error, path),
        _ => unreachable_input(),
    };
    let body = match kind {
        InputKind::ActionTrail { .. } => input::read_events_text(path),
        _ => input::read_text(path),
    }
    .map_err(fail(path))?;
    let mut options = Options {
        context: context_pairs(&args.context).map_err(|error| (error, format, String::new()))?,
        ..Options::default()
    };
    options.current_time = facade::current_time(&sources, now);
    let detail = if args.verbose {
        ram_policy::explain::Detail::Verbose
    } else {
        ram_policy::explain::Detail::Brief
    };
    if let InputKind::ActionTrail { all } = kind {
        // Written as the events are explained: one explanation in memory at a time.
        let policies = ram_policy::explain::Policies::parse(&sources)
            .map_err(|error| (Error::from(error), format, String::new()))?;
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let summary = match format {
            Format::Json => {
                let summary = ram_policy::explain::write_events_json(
                    &policies,
                    &body,
                    all,
                    &options,
                    &mut stdout,
                )
                .map_err(|error| {
                    let message = error.to_string();
                    (Error::Input { message }, Format::Text, String::new())
                })?;
                let _ = stdout.write_all(b"\n");
                summary
            }
            Format::Text => {
                ram_policy::explain::write_events(&policies, &body, all, &options, detail, |part| {
                    let _ = stdout.write_all(part.as_bytes());
                })
            }
        };
        let _ = stdout.flush();
        return Ok(summary.exit_code());
    }
    // A policy's error names its own file: it is not the input's fault.
    let report =
        facade::explain_report(&sources, kind, &body, &options).map_err(|error| match error {
            Error::Policy(_) => (error, format, String::new()),
            other => fail(path)(other),
        })?;
    match format {
        Format::Json => print_json(&report.json()),
        Format::Text => {
            use ram_policy::explain::write_report;
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write_report(&report, detail, |part| {
                let _ = stdout.write_all(part.as_bytes());
            });
            let _ = stdout.flush();
        }
    }
    Ok(report.exit_code())
}

/// clap's argument group guarantees one input; this is never reached.
fn unreachable_input() -> ! {
    let _ = writeln!(
        std::io::stderr(),
        "error: give one of --request, --actiontrail or --error"
    );
    std::process::exit(2)
}

/// The current time for `acs:CurrentTime` (the CLI reads the clock, the library never does).
fn now() -> Option<String> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let time = chrono::DateTime::from_timestamp(i64::try_from(seconds).ok()?, 0)?;
    Some(time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

const LINT_EXIT_CODES: &str = "\
Exit codes:
  0  no finding reaches the --fail-on severity
  1  some finding does
  2  bad usage, an unreadable path or an invalid configuration file";

#[path = "ram-policy/lint_command.rs"]
mod lint_command;
#[path = "ram-policy/split.rs"]
mod split;

/// Writes a human-readable rendering, escaped (see `text::escape_output`).
fn print(rendering: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text::escape_output(rendering).as_bytes());
}

/// Writes a rendering to standard output as it is made (the renderer escapes it).
fn write_text(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) {
    let mut stdout = std::io::stdout().lock();
    let _ = write(&mut stdout);
    let _ = stdout.flush();
}

/// Writes JSON straight to standard output through a buffer: no copy of the whole text is
/// built first, so memory follows the value, not a multiple of the output.
pub fn print_json(value: &impl serde::Serialize) {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if serde_json::to_writer_pretty(&mut stdout, value).is_ok() {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
}

fn report(error: &Error, format: Format, source: &str) {
    if format == Format::Json {
        print_json(&error.to_json());
    }
    let place = if source.is_empty() {
        String::new()
    } else {
        format!("{source}: ")
    };
    let message = format!("{place}{error}");
    let _ = writeln!(std::io::stderr(), "error: {}", text::escape(&message));
}

//! Helpers shared by the library's unit tests.

/// The text of a sample from `../shared/reference/samples/`, or `None` (with a message saying
/// the test skips) when the shared folder is absent.
pub fn shared_sample(name: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/samples")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("skipping: sample {} is absent", path.display());
            None
        }
    }
}

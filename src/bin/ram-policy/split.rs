//! `generate --split DIR`: writes `policy-1.json`, `policy-2.json`, … into a directory that is
//! new, empty, or holds only what an earlier `--split` run wrote there.
//!
//! Each run records the files it wrote in `DIR/.ram-policy-split` (one name a line). A later
//! run removes exactly those files before writing its own, so no stale `policy-N.json` from a
//! longer earlier run is left beside the new ones; a directory holding anything else (a file the
//! tool did not write, a folder, a link) is refused before anything is written or removed,
//! with the names of what is in the way.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The record of the files a run wrote.
pub const MANIFEST: &str = ".ram-policy-split";

/// What a successful write did.
pub struct Written {
    pub files: Vec<PathBuf>,
    /// Files of an earlier run that were removed and not written again.
    pub removed: Vec<PathBuf>,
    /// How many files of an earlier run were replaced by new ones of the same name.
    pub replaced: usize,
}

/// Writes `texts` as `DIR/policy-<n>.json`; see the module documentation.
pub fn write(dir: &Path, texts: &[String]) -> Result<Written, String> {
    let earlier = earlier_files(dir)?;
    std::fs::create_dir_all(dir).map_err(|error| error.to_string())?;
    let names: Vec<String> = (1..=texts.len())
        .map(|number| format!("policy-{number}.json"))
        .collect();
    let mut removed = Vec::new();
    for name in &earlier {
        if !names.contains(name) {
            let path = dir.join(name);
            std::fs::remove_file(&path)
                .map_err(|error| format!("cannot remove `{}`: {error}", path.display()))?;
            removed.push(path);
        }
    }
    let mut files = Vec::new();
    for (name, text) in names.iter().zip(texts) {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|error| error.to_string())?;
        files.push(path);
    }
    let mut manifest = std::fs::File::create(dir.join(MANIFEST)).map_err(|e| e.to_string())?;
    for name in &names {
        writeln!(manifest, "{name}").map_err(|error| error.to_string())?;
    }
    Ok(Written {
        replaced: earlier.len() - removed.len(),
        files,
        removed,
    })
}

/// The files an earlier run recorded, after checking that the directory holds nothing else.
fn earlier_files(dir: &Path) -> Result<Vec<String>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error.to_string()),
    };
    let mut present = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| error.to_string())?;
        let kind = entry.file_type().map_err(|error| error.to_string())?;
        present.push((
            entry.file_name().to_string_lossy().into_owned(),
            kind.is_file(),
        ));
    }
    let recorded: Vec<String> = match std::fs::symlink_metadata(dir.join(MANIFEST)) {
        Ok(metadata) if metadata.is_file() => std::fs::read_to_string(dir.join(MANIFEST))
            .map_err(|error| error.to_string())?
            .lines()
            .map(str::to_string)
            .filter(|name| is_own_name(name))
            .collect(),
        _ => Vec::new(),
    };
    let mut foreign: Vec<String> = present
        .iter()
        .filter(|(name, is_file)| !*is_file || (name != MANIFEST && !recorded.contains(name)))
        .map(|(name, _)| name.clone())
        .collect();
    foreign.sort();
    if !foreign.is_empty() {
        let shown: Vec<String> = foreign
            .iter()
            .take(5)
            .map(|name| format!("`{name}`"))
            .collect();
        let more = if foreign.len() > 5 {
            format!(" and {} more", foreign.len() - 5)
        } else {
            String::new()
        };
        return Err(format!(
            "it holds files an earlier `generate --split` did not write: {}{more}; give a new or empty directory (nothing was written)",
            shown.join(", ")
        ));
    }
    Ok(recorded
        .into_iter()
        .filter(|name| present.iter().any(|(present, _)| present == name))
        .collect())
}

/// Only names this command writes are ever removed, whatever the record says.
fn is_own_name(name: &str) -> bool {
    name.strip_prefix("policy-")
        .and_then(|rest| rest.strip_suffix(".json"))
        .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
}

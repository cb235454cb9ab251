//! The one directory walker of every command that takes a directory (`lint DIR`, `eval` and
//! `explain --policy DIR`), on the `ignore` crate (ripgrep's walker).
//!
//! A directory named by the user may hold things nobody meant to lint: hidden folders, vendored
//! `node_modules`, build output listed in `.gitignore`, symlinks to files elsewhere (a `*.json`
//! link to `/proc/self/environ` would print the process environment), symlink loops, FIFOs that
//! block the first reader forever. So, by default:
//!
//! - hidden files and folders, `node_modules` folders and paths that `.gitignore`, `.ignore` or
//!   `.git/info/exclude` files exclude are skipped, as ripgrep does (`--no-ignore` includes them;
//!   the user's global git excludes never apply, so a walk means the same on every machine);
//! - symlinks are not followed; with `--follow` they are, but never to a file or folder outside
//!   the given directory, and a file reached twice (two links, or a link and the file) is read
//!   once; loops are detected by the walker;
//! - only regular files are returned: a FIFO, socket or device named `*.json` is skipped with a
//!   note, before anything opens it;
//! - the paths come sorted, so output does not depend on the file system's order.
//!
//! Everything skipped for safety (not for the ignore rules) gets a [`Walk::notes`] line, which
//! the CLI prints on standard error. A path named directly on the command line is never
//! filtered: naming it is the user's choice.

use crate::error::Error;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How to walk a directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Include hidden entries, `node_modules` and ignored paths (`--no-ignore`).
    pub no_ignore: bool,
    /// Follow symlinks that stay inside the walked directory (`--follow`).
    pub follow: bool,
}

/// The `*.json` files found under a directory, and what was skipped for safety.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    /// Regular `*.json` files, sorted by path, each once.
    pub files: Vec<PathBuf>,
    /// One line per entry skipped for safety (`skipped `x.json`: …`).
    pub notes: Vec<String>,
}

/// The regular `*.json` files under `root`, recursively (see the module documentation).
///
/// An unreadable directory is an error naming it; an entry skipped for safety is a note.
pub fn json_files(root: &Path, options: WalkOptions) -> Result<Walk, Error> {
    let canonical_root = std::fs::canonicalize(root).map_err(|error| Error::Input {
        message: format!("cannot read `{}`: {error}", root.display()),
    })?;
    let notes = Arc::new(Mutex::new(Vec::new()));
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .standard_filters(!options.no_ignore)
        .git_global(false)
        .require_git(false)
        .follow_links(options.follow)
        .sort_by_file_path(Ord::cmp);
    let filter_notes = Arc::clone(&notes);
    let filter_root = canonical_root.clone();
    let root_name = root.display().to_string();
    builder.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
        if !options.no_ignore && is_dir && entry.file_name() == "node_modules" {
            return false;
        }
        // With --follow, a link to a folder outside the root is not entered at all (it could be
        // `/`); links to files are checked when they are listed.
        if options.follow
            && entry.path_is_symlink()
            && entry.file_type().is_some_and(|kind| kind.is_dir())
        {
            if let Some(note) = outside(entry.path(), &filter_root, &root_name) {
                push(&filter_notes, note);
                return false;
            }
        }
        true
    });
    let mut files = Vec::new();
    // Canonical path → the first path it was reached by.
    let mut seen: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for result in builder.build() {
        let entry = match result {
            Ok(entry) => entry,
            Err(error) => {
                if let Some((ancestor, child)) = symlink_loop(&error) {
                    push(
                        &notes,
                        format!(
                            "skipped `{}`: a symlink loop back to `{}`",
                            child.display(),
                            ancestor.display()
                        ),
                    );
                    continue;
                }
                if error.is_partial() {
                    // A bad glob in an ignore file: the other globs still apply.
                    push(&notes, format!("an ignore file was read in part: {error}"));
                    continue;
                }
                return Err(Error::Input {
                    message: format!("cannot read `{}`: {error}", root.display()),
                });
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() {
            // Only when not following: with --follow the walker reports the target's type.
            push(
                &notes,
                format!(
                    "skipped `{}`: a symlink (give --follow to follow links inside the directory)",
                    path.display()
                ),
            );
            continue;
        }
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        if !kind.is_file() {
            push(
                &notes,
                format!(
                    "skipped `{}`: not a regular file ({})",
                    path.display(),
                    special_kind(&kind)
                ),
            );
            continue;
        }
        if options.follow {
            let canonical = match std::fs::canonicalize(path) {
                Ok(canonical) => canonical,
                Err(error) => {
                    return Err(Error::Input {
                        message: format!("cannot read `{}`: {error}", path.display()),
                    })
                }
            };
            if !canonical.starts_with(&canonical_root) {
                push(
                    &notes,
                    format!(
                        "skipped `{}`: the link leads outside `{}`",
                        path.display(),
                        root.display()
                    ),
                );
                continue;
            }
            if let Some(first) = seen.get(&canonical) {
                push(
                    &notes,
                    format!(
                        "skipped `{}`: the same file as `{}`",
                        path.display(),
                        first.display()
                    ),
                );
                continue;
            }
            seen.insert(canonical, path.to_path_buf());
        }
        files.push(path.to_path_buf());
    }
    let notes = std::mem::take(&mut *notes.lock().unwrap_or_else(|poison| poison.into_inner()));
    Ok(Walk { files, notes })
}

fn push(notes: &Mutex<Vec<String>>, note: String) {
    notes
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
        .push(note);
}

/// A note when a link's target lies outside the root (or cannot be resolved).
fn outside(path: &Path, canonical_root: &Path, root_name: &str) -> Option<String> {
    match std::fs::canonicalize(path) {
        Ok(target) if target.starts_with(canonical_root) => None,
        Ok(_) => Some(format!(
            "skipped `{}`: the link leads outside `{root_name}`",
            path.display()
        )),
        Err(error) => Some(format!("skipped `{}`: {error}", path.display())),
    }
}

/// The loop the walker found, if this error is one.
fn symlink_loop(error: &ignore::Error) -> Option<(&Path, &Path)> {
    match error {
        ignore::Error::Loop { ancestor, child } => Some((ancestor, child)),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => symlink_loop(err),
        _ => None,
    }
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    struct Tree(PathBuf);

    impl Tree {
        fn new(name: &str) -> Tree {
            let root =
                std::env::temp_dir().join(format!("ram-policy-walk-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(&root).unwrap_or_default();
            Tree(root)
        }

        fn file(&self, relative: &str) {
            let path = self.0.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).unwrap_or_default();
            }
            std::fs::write(path, "{}").unwrap_or_default();
        }

        fn link(&self, target: &Path, relative: &str) {
            std::os::unix::fs::symlink(target, self.0.join(relative)).unwrap_or_default();
        }

        fn names(&self, walk: &Walk) -> Vec<String> {
            walk.files
                .iter()
                .map(|path| {
                    path.strip_prefix(&self.0)
                        .map(|relative| relative.display().to_string())
                        .unwrap_or_default()
                })
                .collect()
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn walk(tree: &Tree, options: WalkOptions) -> Walk {
        json_files(&tree.0, options).unwrap_or_default()
    }

    #[test]
    fn hidden_node_modules_and_gitignored_paths_are_skipped_unless_no_ignore() {
        let tree = Tree::new("ignore");
        for file in [
            "a.json",
            "b.txt",
            "sub/c.json",
            ".hidden/d.json",
            ".e.json",
            "node_modules/f.json",
            "build/g.json",
        ] {
            tree.file(file);
        }
        std::fs::write(tree.0.join(".gitignore"), "build/\n").unwrap_or_default();
        let found = walk(&tree, WalkOptions::default());
        assert_eq!(tree.names(&found), ["a.json", "sub/c.json"]);
        assert!(found.notes.is_empty(), "{:?}", found.notes);
        let all = walk(
            &tree,
            WalkOptions {
                no_ignore: true,
                follow: false,
            },
        );
        assert_eq!(
            tree.names(&all),
            [
                ".e.json",
                ".hidden/d.json",
                "a.json",
                "build/g.json",
                "node_modules/f.json",
                "sub/c.json"
            ]
        );
    }

    #[test]
    fn symlinks_are_followed_only_inside_the_root_and_once() {
        let outside = Tree::new("outside");
        outside.file("secret.json");
        let tree = Tree::new("links");
        tree.file("real/a.json");
        tree.link(&outside.0.join("secret.json"), "leak.json");
        tree.link(&outside.0, "leakdir");
        tree.link(&tree.0.join("real/a.json"), "again.json");
        tree.link(&tree.0, "real/loop");
        let plain = walk(&tree, WalkOptions::default());
        assert_eq!(tree.names(&plain), ["real/a.json"]);
        assert_eq!(plain.notes.len(), 4, "{:?}", plain.notes);
        let followed = walk(
            &tree,
            WalkOptions {
                no_ignore: false,
                follow: true,
            },
        );
        // `again.json` sorts first and is the same file as `real/a.json`.
        assert_eq!(tree.names(&followed), ["again.json"]);
        let notes = followed.notes.join("\n");
        assert!(
            notes.contains("leak.json`: the link leads outside"),
            "{notes}"
        );
        assert!(
            notes.contains("leakdir`: the link leads outside"),
            "{notes}"
        );
        assert!(notes.contains("real/a.json`: the same file as"), "{notes}");
        assert!(notes.contains("a symlink loop back to"), "{notes}");
    }

    #[test]
    fn a_fifo_is_skipped_with_a_note() {
        let tree = Tree::new("fifo");
        tree.file("a.json");
        let fifo = tree.0.join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            return;
        }
        let found = walk(&tree, WalkOptions::default());
        assert_eq!(tree.names(&found), ["a.json"]);
        assert_eq!(found.notes.len(), 1);
        assert!(found.notes[0].ends_with("pipe.json`: not a regular file (a FIFO)"));
    }
}

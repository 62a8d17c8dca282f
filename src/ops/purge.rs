//! `whatscope purge`: the whole archive deleted (index, metadata, secret, opt-out list,
//! the people merged).
//!
//! Only whatscope's own entries in the data dir are removed (a data dir given by mistake,
//! say `--data-dir ~`, loses nothing else), then the folder itself when that leaves it
//! empty. The keymap (`keys.conf` in the config dir) holds no chat data and is shared by
//! every archive, so it stays. Destroying the secret also makes any copy of the opt-out
//! list or of pseudonymized output unlinkable to names (crypto-erasure of the mapping).

use super::Error;
use crate::index::files::entries;
use std::path::Path;

/// What `purge` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub removed: usize,
    /// Whether the data dir itself is gone (it held nothing else).
    pub dir_removed: bool,
}

/// Deletes whatscope's entries in `dir`, and `dir` when that empties it.
pub fn purge(dir: &Path) -> Result<Purged, Error> {
    let mut removed = 0;
    for path in entries(dir) {
        let meta = std::fs::symlink_metadata(&path).map_err(|source| Error::PurgeRead {
            path: path.clone(),
            source,
        })?;
        let result = if meta.is_dir() {
            // Does not follow symlinks inside.
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        result.map_err(|source| Error::PurgeDelete {
            path: path.clone(),
            source,
        })?;
        removed += 1;
    }
    let empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    let dir_removed = empty && std::fs::remove_dir(dir).is_ok();
    Ok(Purged {
        removed,
        dir_removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_only_our_entries_and_the_folder_once_empty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("index")).expect("mkdir");
        std::fs::write(data.join("index/x"), "x").expect("write");
        std::fs::write(data.join("secret.key"), "k").expect("write");
        std::fs::write(data.join("mine.txt"), "keep").expect("write");
        let p = purge(&data).expect("purge");
        assert_eq!(
            p,
            Purged {
                removed: 2,
                dir_removed: false
            }
        );
        assert!(data.join("mine.txt").exists());
        std::fs::remove_file(data.join("mine.txt")).expect("rm");
        std::fs::write(data.join("meta.json"), "{}").expect("write");
        let p = purge(&data).expect("purge");
        assert!(p.dir_removed && !data.exists());
    }
}

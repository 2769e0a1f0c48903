//! Writing a file of wslgo's own into its cache directory (the warm file, the zsh functions'
//! file): the one way both are written, so neither can be left half-written or readable by
//! others.

use std::path::Path;

/// Writes `bytes` to `dir/name` through a new file (mode 0600, created exclusively, never
/// through a symlink) renamed over it: a shell starting meanwhile reads the old file or the
/// new one, never half of one. On any failure the temporary file is removed and nothing else
/// changed; the caller treats that as "no file" (the next start is only slower).
pub(crate) fn write_private(dir: &Path, name: &str, bytes: &[u8]) -> bool {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let ok = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, dir.join(name)));
    if ok.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    ok.is_ok()
}

//! The one gate to system files.
//!
//! Every read of a system file (`/proc`, `/sys`, `/etc`, `/usr`, `/run`, `/mnt`, `/lib` and the SDK
//! search paths outside HOME) goes through [`Sys`], so that `WSLGO_SYSROOT=<dir>` can point the
//! whole binary at a fake system built from fixtures (SPEC 9). Files under HOME, XDG paths and
//! PATH entries are real paths and are read with plain `std::fs`.
//!
//! Every read is bounded: a file may be huge (a 1 GB sparse file), endless (`/dev/zero` planted
//! by a hostile tree) or a FIFO, and the hook must still answer in time.

use std::ffi::OsString;
use std::io::{self, Read};
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

/// Where system files are read from: `/`, or the `WSLGO_SYSROOT` prefix.
#[derive(Debug, Clone, Default)]
pub struct Sys {
    root: Option<PathBuf>,
}

impl Sys {
    /// The real system, unless `WSLGO_SYSROOT` names a non-empty prefix.
    pub fn from_env() -> Sys {
        match std::env::var_os("WSLGO_SYSROOT") {
            Some(r) if !r.is_empty() => Sys::with_root(PathBuf::from(r)),
            _ => Sys { root: None },
        }
    }

    /// A fake system rooted at `root`.
    pub fn with_root(root: PathBuf) -> Sys {
        Sys { root: Some(root) }
    }

    /// True when a sysroot is in force (some probes, like `sched_getaffinity`, then read files).
    pub(crate) fn is_fake(&self) -> bool {
        self.root.is_some()
    }

    /// The real path of the system path `abs` (which must be absolute).
    pub(crate) fn path(&self, abs: impl AsRef<Path>) -> PathBuf {
        let abs = abs.as_ref();
        match &self.root {
            None => abs.to_path_buf(),
            Some(root) => {
                let rel = abs.strip_prefix("/").unwrap_or(abs);
                let mut bytes: OsString = root.clone().into_os_string();
                if !rel.as_os_str().is_empty() {
                    let mut v = bytes.into_vec();
                    if v.last() != Some(&b'/') {
                        v.push(b'/');
                    }
                    v.extend_from_slice(rel.as_os_str().as_encoded_bytes());
                    bytes = OsString::from_vec(v);
                }
                PathBuf::from(bytes)
            }
        }
    }

    /// The system path that a real path under the sysroot stands for (the inverse of
    /// [`Sys::path`]); `None` when `real` lies outside the sysroot.
    pub(crate) fn unpath(&self, real: &Path) -> Option<PathBuf> {
        match &self.root {
            None => Some(real.to_path_buf()),
            Some(root) => real.strip_prefix(root).ok().map(|r| Path::new("/").join(r)),
        }
    }

    /// Reads the system file `abs`, at most `max` bytes (longer files are cut at `max`).
    pub(crate) fn read_max(&self, abs: impl AsRef<Path>, max: usize) -> io::Result<Vec<u8>> {
        let abs = abs.as_ref();
        // The real /proc and /sys hold only the kernel's pseudo-files (no FIFO, no device
        // node, never a directory by the names read here): a non-blocking open and a bounded
        // read are guard enough, and the stat before the open and the fstat after it (two
        // syscalls per file, ~2 us each on WSL) are left out there.
        if self.root.is_none() && (abs.starts_with("/proc/") || abs.starts_with("/sys/")) {
            use std::os::unix::fs::OpenOptionsExt;
            // Nothing there blocks or is endless, and the read is bounded all the same; their
            // size is 0 (a page is read at a time), so no fstat is needed either.
            let f = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(abs)?;
            let mut buf = Vec::with_capacity(max.min(4096));
            f.take(max as u64).read_to_end(&mut buf)?;
            return Ok(buf);
        }
        read_bounded(&self.path(abs), max)
    }

    /// Opens a system file through [`open_regular`]'s guard (regular files only, never blocks).
    pub(crate) fn open(&self, abs: impl AsRef<Path>) -> io::Result<(std::fs::File, std::fs::Metadata)> {
        open_regular(&self.path(abs))
    }

    /// True when the system path exists (following symlinks).
    pub(crate) fn exists(&self, abs: impl AsRef<Path>) -> bool {
        self.path(abs).exists()
    }
}

/// Opens a real file for reading when it is a regular file. FIFOs, devices and directories are
/// refused before they are opened (opening a FIFO for reading blocks until a writer comes), and
/// the open itself is non-blocking and checked again, so a FIFO swapped in between the check and
/// the open cannot block either. The pseudo-files of /proc and /sys report as regular files.
pub(crate) fn open_regular(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    open_checked(path)
}

/// The non-blocking open and the check after it (see [`open_regular`]).
fn open_checked(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    Ok((f, meta))
}

/// Reads at most `max` bytes of a real regular file (see [`open_regular`]).
pub(crate) fn read_bounded(path: &Path, max: usize) -> io::Result<Vec<u8>> {
    let (f, meta) = open_regular(path)?;
    read_open(f, &meta, max)
}

fn read_open(f: std::fs::File, meta: &std::fs::Metadata, max: usize) -> io::Result<Vec<u8>> {
    // /proc and /sys files report a size of 0: start with a page, not with 32-byte reads.
    let hint = if meta.len() == 0 { 4096 } else { meta.len() as usize + 1 };
    let mut buf = Vec::with_capacity(hint.min(max).min(64 * 1024));
    f.take(max as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// The real, symlink-free path of an existing `path` (what `realpath(3)` gives). The kernel
/// resolves the whole path in one `open(O_PATH)` and names it in `/proc/self/fd`: three
/// syscalls whatever the depth, where `realpath(3)` reads every component as a link (ten
/// `readlink` calls for `/usr/bin/go`). Falls back to [`std::fs::canonicalize`] without /proc.
pub(crate) fn realpath(path: &Path) -> io::Result<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return std::fs::canonicalize(path);
    };
    // SAFETY: a valid NUL-terminated path; O_PATH opens nothing for reading (no FIFO or
    // device is ever opened for I/O, so nothing blocks), and the descriptor is closed below.
    let fd = unsafe { libc::open(c.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    let link = format!("/proc/self/fd/{fd}\0");
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    // SAFETY: `link` is NUL-terminated, `buf` has room for its capacity.
    let n = unsafe { libc::readlink(link.as_ptr().cast(), buf.as_mut_ptr().cast(), buf.capacity()) };
    // SAFETY: fd is ours and open.
    unsafe { libc::close(fd) };
    match usize::try_from(n) {
        Ok(n) if n < buf.capacity() => {
            // SAFETY: readlink wrote n bytes.
            unsafe { buf.set_len(n) };
            if buf.first() != Some(&b'/') || buf.ends_with(b" (deleted)") {
                return std::fs::canonicalize(path);
            }
            buf.shrink_to_fit();
            Ok(PathBuf::from(OsString::from_vec(buf)))
        }
        // No /proc, a path too long for the buffer, or something odd: the library's way.
        _ => std::fs::canonicalize(path),
    }
}

/// Identifies one version of a file or directory without reading it: a hash of its inode,
/// device, mode, size, mtime and ctime (`stat(2)`, following symlinks), or of its absence.
/// A directory's stamp changes when an entry is added, removed or renamed in it; a file's when
/// it is written, replaced, or its mode changes. Cached probe results are keyed on stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub hash: u64,
    /// The newer of mtime and ctime, in seconds (0 when absent): a stamp this recent may not
    /// yet have seen every change of its second (see [`Stamp::settled`]).
    pub newest: i64,
}

impl Stamp {
    pub(crate) fn of(path: &Path) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        let mut h = crate::hash::Fnv::new();
        match std::fs::metadata(path) {
            Ok(m) => {
                for v in [m.ino(), m.dev(), u64::from(m.mode()), m.size()] {
                    h.write(&v.to_le_bytes());
                }
                for v in [m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()] {
                    h.write(&v.to_le_bytes());
                }
                Stamp {
                    hash: h.finish(),
                    newest: m.mtime().max(m.ctime()),
                }
            }
            Err(e) => {
                h.write(b"absent");
                h.write(&[u8::from(e.kind() == io::ErrorKind::NotFound)]);
                Stamp {
                    hash: h.finish(),
                    newest: 0,
                }
            }
        }
    }

    /// True when the stamp is old enough to trust as a cache key: a change within the same
    /// second as the stamp (or on a file system with coarse times) might leave it as it is,
    /// so a result read within 2 s of its inputs' last change is not cached (as git treats
    /// its "racily clean" index entries).
    pub(crate) fn settled(&self, now: i64) -> bool {
        self.newest < now - 2
    }
}

/// Reads at most `max` bytes of a regular file as text; `None` for anything else (missing,
/// unreadable, FIFO, device, directory) and for binary files (a NUL byte: bash refuses those).
/// A file cut at `max` loses its last, partial line, so a half line is never parsed.
pub(crate) fn read_script(path: &Path, max: usize) -> Option<String> {
    load_script(path, max).ok()
}

/// [`read_script`] with the reason it read nothing, for `wslgo doctor`: the I/O error
/// (`NotFound`; `InvalidInput` for a FIFO, device or directory) or `InvalidData` for a binary file.
pub(crate) fn load_script(path: &Path, max: usize) -> io::Result<String> {
    let mut buf = read_bounded(path, max + 1)?;
    if buf.len() > max {
        buf.truncate(max);
        let end = buf.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        buf.truncate(end);
    }
    if memchr::memchr(0, &buf).is_some() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "binary (it holds a NUL byte)"));
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// An I/O error in a few words, without Rust's "(os error N)" tail: what a reason or a check
/// shows after "cannot read <file>: ".
pub(crate) fn io_why(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "not found".into(),
        PermissionDenied => "permission denied".into(),
        InvalidInput => "not a regular file".into(),
        IsADirectory => "is a directory".into(),
        _ => {
            let s = e.to_string();
            s.split(" (os error").next().unwrap_or(&s).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_maps_under_root() {
        let s = Sys::with_root(PathBuf::from("/tmp/x"));
        assert_eq!(s.path("/proc/self/cgroup"), PathBuf::from("/tmp/x/proc/self/cgroup"));
        assert_eq!(s.path("/"), PathBuf::from("/tmp/x"));
        assert_eq!(s.unpath(Path::new("/tmp/x/usr/lib")), Some(PathBuf::from("/usr/lib")));
        assert_eq!(s.unpath(Path::new("/etc")), None);
        let real = Sys::default();
        assert_eq!(real.path("/etc/wsl.conf"), PathBuf::from("/etc/wsl.conf"));
    }

    #[test]
    fn read_is_bounded() {
        let d = std::env::temp_dir().join(format!("wslgo-sys-{}", std::process::id()));
        std::fs::create_dir_all(d.join("etc")).unwrap();
        std::fs::write(d.join("etc/big"), vec![b'a'; 5000]).unwrap();
        let s = Sys::with_root(d.clone());
        assert_eq!(s.read_max("/etc/big", 100).unwrap().len(), 100);
        assert!(s.read_max("/etc/missing", 100).is_err());
        assert!(s.read_max("/etc", 100).is_err(), "a directory is not read");
        std::fs::remove_dir_all(d).unwrap();
    }
}

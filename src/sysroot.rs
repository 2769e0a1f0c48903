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

/// The largest system file read whole, unless a caller asks for another bound.
pub const DEFAULT_MAX: usize = 1 << 20;

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
    pub fn is_fake(&self) -> bool {
        self.root.is_some()
    }

    /// The real path of the system path `abs` (which must be absolute).
    pub fn path(&self, abs: impl AsRef<Path>) -> PathBuf {
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
    pub fn unpath(&self, real: &Path) -> Option<PathBuf> {
        match &self.root {
            None => Some(real.to_path_buf()),
            Some(root) => real.strip_prefix(root).ok().map(|r| Path::new("/").join(r)),
        }
    }

    /// Reads the system file `abs`, at most `max` bytes (longer files are cut at `max`).
    pub fn read_max(&self, abs: impl AsRef<Path>, max: usize) -> io::Result<Vec<u8>> {
        read_bounded(&self.path(abs), max)
    }

    /// Reads the system file `abs`, at most [`DEFAULT_MAX`] bytes.
    pub fn read(&self, abs: impl AsRef<Path>) -> io::Result<Vec<u8>> {
        self.read_max(abs, DEFAULT_MAX)
    }

    /// Reads the system file as text, replacing bytes that are not UTF-8.
    pub fn read_string(&self, abs: impl AsRef<Path>) -> io::Result<String> {
        self.read(abs).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    /// True when the system path exists (following symlinks).
    /// Opens a system file through [`open_regular`]'s guard (regular files only, never blocks).
    pub fn open(&self, abs: impl AsRef<Path>) -> io::Result<(std::fs::File, std::fs::Metadata)> {
        open_regular(&self.path(abs))
    }

    pub fn exists(&self, abs: impl AsRef<Path>) -> bool {
        self.path(abs).exists()
    }
}

/// `O_NONBLOCK`, so that a FIFO swapped in between the check and the open cannot block the
/// prompt. The value differs by architecture; where it is not listed here the stat check
/// before the open is the only guard. (Declared here: the crate takes no `libc` dependency.)
#[cfg(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv64"
))]
const O_NONBLOCK: i32 = 0o4000;
#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "arm",
    target_arch = "riscv64"
)))]
const O_NONBLOCK: i32 = 0;

/// Reads at most `max` bytes of a real file. FIFOs, devices and directories are refused before
/// they are opened (opening a FIFO for reading blocks until a writer comes); the pseudo-files of
/// /proc and /sys report as regular files and are read.
pub fn read_bounded(path: &Path, max: usize) -> io::Result<Vec<u8>> {
    let (f, meta) = open_regular(path)?;
    // /proc and /sys files report a size of 0: start with a page, not with 32-byte reads.
    let hint = if meta.len() == 0 { 4096 } else { meta.len() as usize + 1 };
    let mut buf = Vec::with_capacity(hint.min(max).min(64 * 1024));
    f.take(max as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Opens a real file for reading when it is a regular file, with the same guard as
/// [`read_bounded`]: FIFOs, devices and directories are refused before the open, the open does
/// not block (`O_NONBLOCK`) if one is swapped in after that check, and what was opened is
/// checked again. For readers that need the file itself (positioned reads of the
/// locale-archive).
pub fn open_regular(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    if !std::fs::metadata(path)?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let f = std::fs::OpenOptions::new().read(true).custom_flags(O_NONBLOCK).open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    Ok((f, meta))
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
        assert!(s.read("/etc/missing").is_err());
        assert!(s.read("/etc").is_err(), "a directory is not read");
        std::fs::remove_dir_all(d).unwrap();
    }
}

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
            // Nothing there blocks or is endless, and the read is bounded all the same; their
            // size is 0 (a page is read at a time), so no fstat is needed either.
            let f = open_ro(abs, libc::O_NONBLOCK)?;
            return read_from(f, max, STACK_READ, false);
        }
        read_bounded(&self.path(abs), max)
    }

    /// Reads a kernel attribute file of one value or one record, at most `max` bytes: a
    /// /proc/sys entry, /proc/self/cgroup or /proc/self/status, a cgroup interface file such as
    /// `memory.max` or `memory.stat`. The kernel makes such a file's whole text in its first
    /// read (a `seq_file` with a single record copies out all of it, or as much as was asked),
    /// so a read shorter than the buffer is its end, and the read that would return 0 is left
    /// out. A file of many records (mountinfo, /proc/net/route) stops a read at a record that
    /// does not fit the kernel's page: those go through [`Sys::read_max`]. Under a sysroot the
    /// files are regular files and [`read_bounded`] reads them.
    pub(crate) fn read_attr(&self, abs: impl AsRef<Path>, max: usize) -> io::Result<Vec<u8>> {
        let abs = abs.as_ref();
        if self.root.is_none() && (abs.starts_with("/proc/") || abs.starts_with("/sys/")) {
            let f = open_ro(abs, libc::O_NONBLOCK)?;
            return read_whole(f, max, max.min(4096));
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
    let f = open_ro(path, libc::O_NONBLOCK)?;
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

/// Reads at most `max` bytes of a file opened (and fstat'ed, `meta`) by the caller.
pub(crate) fn read_open(f: std::fs::File, meta: &std::fs::Metadata, max: usize) -> io::Result<Vec<u8>> {
    // /proc and /sys files (under a sysroot: copies, but an empty file as well) report a size
    // of 0: a page at a time, to a read that returns 0.
    if meta.len() == 0 {
        return read_from(f, max, STACK_READ, false);
    }
    // A regular file of a known size: a read shorter than asked is its end (see read_whole).
    // One byte more than the size is asked for, so a file that grew since the fstat is read
    // on to its end (up to `max`) as before.
    let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    read_whole(f, max, size.saturating_add(1).min(max).min(64 * 1024))
}

/// Reads at most `max` bytes of `f`, whose whole text the first read(s) into a buffer of
/// `first` bytes give: a regular file (`first` = its size + 1) or a kernel attribute file (see
/// [`Sys::read_attr`]). A read that fills less than the buffer ends it: the `read` that would
/// return 0 is not made (one syscall per small file, ~1 us on WSL). A full buffer reads on,
/// bounded by `max`, to the end.
fn read_whole(f: std::fs::File, max: usize, first: usize) -> io::Result<Vec<u8>> {
    read_from(f, max, first, true)
}

/// The first read of a small file goes to a page on the stack and only the bytes read are
/// kept: a page-sized heap buffer per 20-byte file took a fresh page of the arena each (a page
/// fault apiece; the arena does not reuse what is freed before its newest block).
const STACK_READ: usize = 4096;

/// [`read_whole`]; `short_is_end` false for files whose reads stop at a record (mountinfo):
/// those are read until a read returns 0.
fn read_from(mut f: std::fs::File, max: usize, first: usize, short_is_end: bool) -> io::Result<Vec<u8>> {
    let first = first.clamp(1, max.max(1));
    let (mut buf, n) = if first <= STACK_READ {
        let mut page = std::mem::MaybeUninit::<[u8; STACK_READ]>::uninit();
        let n = read_some(&f, page.as_mut_ptr().cast(), first)?;
        // SAFETY: read(2) initialized the first `n` bytes.
        let got = unsafe { std::slice::from_raw_parts(page.as_ptr().cast::<u8>(), n) };
        (got.to_vec(), n)
    } else {
        let mut buf: Vec<u8> = Vec::with_capacity(first);
        let n = read_some(&f, buf.as_mut_ptr(), first)?;
        // SAFETY: read(2) wrote `n` <= `first` bytes.
        unsafe { buf.set_len(n) };
        (buf, n)
    };
    let done = n == 0 || (short_is_end && n < first);
    if !done && n < max {
        // A file longer than the first buffer (or one of records): the rest as the library
        // reads it, bounded.
        let rest = (max - n) as u64;
        (&mut f).take(rest).read_to_end(&mut buf)?;
    }
    buf.truncate(max);
    Ok(buf)
}

/// One read(2) of up to `len` bytes into `to`, retried when a signal interrupts it.
fn read_some(f: &std::fs::File, to: *mut u8, len: usize) -> io::Result<usize> {
    loop {
        // SAFETY: the callers pass a buffer valid for writes of `len` bytes.
        let n = unsafe { libc::read(std::os::fd::AsRawFd::as_raw_fd(f), to.cast(), len) };
        match usize::try_from(n) {
            Ok(n) => return Ok(n),
            Err(_) => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
}

/// Opens `path` read-only and close-on-exec with `flags` added, through `openat(AT_FDCWD)`:
/// musl's `open()` (the static build's, which std's `File::open` calls) follows every
/// `O_CLOEXEC` open with an `fcntl(F_SETFD)` for kernels older than 2.6.23; its `openat()`
/// passes the flag to the kernel and makes no second call.
pub(crate) fn open_ro(path: &Path, flags: libc::c_int) -> io::Result<std::fs::File> {
    with_cstr(path, |c| {
        loop {
            // SAFETY: a NUL-terminated path; the descriptor returned is owned by the File below.
            let fd = unsafe { libc::openat(libc::AT_FDCWD, c.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC | flags) };
            if fd >= 0 {
                // SAFETY: a new descriptor that nothing else owns.
                return Ok(unsafe { <std::fs::File as std::os::fd::FromRawFd>::from_raw_fd(fd) });
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
    })
}

/// Calls `f` with `path` as a C string: on the stack when it is short (std's way, no
/// allocation), else in a `CString`. A path holding a NUL byte is an `InvalidInput` error.
fn with_cstr<T>(path: &Path, f: impl FnOnce(&std::ffi::CStr) -> io::Result<T>) -> io::Result<T> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let nul = || io::Error::new(io::ErrorKind::InvalidInput, "a path with a NUL byte");
    let mut stack = [0u8; 512];
    if bytes.len() < stack.len() {
        stack[..bytes.len()].copy_from_slice(bytes);
        let c = std::ffi::CStr::from_bytes_with_nul(&stack[..=bytes.len()]).map_err(|_| nul())?;
        return f(c);
    }
    let c = std::ffi::CString::new(bytes).map_err(|_| nul())?;
    f(&c)
}

/// The real, symlink-free path of an existing `path` (what `realpath(3)` gives). The kernel
/// resolves the whole path in one `open(O_PATH)` and names it in `/proc/self/fd`: three
/// syscalls whatever the depth, where `realpath(3)` reads every component as a link (ten
/// `readlink` calls for `/usr/bin/go`). Falls back to [`std::fs::canonicalize`] without /proc.
pub(crate) fn realpath(path: &Path) -> io::Result<PathBuf> {
    // O_PATH opens nothing for reading (no FIFO or device is ever opened for I/O, so nothing
    // blocks); openat, not open (see open_ro). The descriptor is closed below.
    let fd = match with_cstr(path, |c| {
        // SAFETY: a valid NUL-terminated path.
        let fd = unsafe { libc::openat(libc::AT_FDCWD, c.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
        if fd < 0 { Err(io::Error::last_os_error()) } else { Ok(fd) }
    }) {
        Ok(fd) => fd,
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => return std::fs::canonicalize(path),
        Err(e) => return Err(e),
    };
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

    /// The reader stops at a regular file's size (no read returning 0: tests/syscalls.rs sees
    /// that) and still returns every byte, at every size around its buffer boundaries, and
    /// at most `max`.
    #[test]
    fn a_regular_file_is_read_whole_at_every_size() {
        let d = std::env::temp_dir().join(format!("wslgo-sizes-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("f");
        for n in [0, 1, 2, 4095, 4096, 4097, 65_535, 65_536, 65_537, 200_001] {
            let text: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
            std::fs::write(&f, &text).unwrap();
            assert_eq!(read_bounded(&f, 1 << 20).unwrap(), text, "size {n}");
            for max in [1, 1000, n, n + 1] {
                let got = read_bounded(&f, max).unwrap();
                assert_eq!(got, text[..n.min(max)], "size {n}, max {max}");
            }
        }
        std::fs::remove_dir_all(d).unwrap();
    }

    /// A file that grows between the fstat and the read is read on to its end (bounded).
    #[test]
    fn a_file_grown_after_its_fstat_is_read_to_its_end() {
        use std::io::Write;
        let d = std::env::temp_dir().join(format!("wslgo-grow-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let f = d.join("f");
        std::fs::write(&f, b"0123456789").unwrap();
        let (file, meta) = open_regular(&f).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&f)
            .unwrap()
            .write_all(&[b'x'; 5000])
            .unwrap();
        let got = read_open(file, &meta, 1 << 20).unwrap();
        assert_eq!(got.len(), 5010);
        let (file, meta) = open_regular(&f).unwrap();
        assert_eq!(read_open(file, &meta, 64).unwrap().len(), 64);
        std::fs::remove_dir_all(d).unwrap();
    }

    /// A kernel file of one record reads the same with one read as with the read to 0.
    #[test]
    fn a_kernel_attribute_file_reads_whole_in_one_read() {
        let s = Sys::default();
        for p in ["/proc/sys/kernel/osrelease", "/proc/sys/kernel/ostype", "/proc/self/cgroup"] {
            let Ok(probed) = s.read_max(p, 64 * 1024) else {
                eprintln!("SKIP: {p} cannot be read here");
                continue;
            };
            assert_eq!(s.read_attr(p, 64 * 1024).unwrap(), probed, "{p}");
            let cut = s.read_attr(p, 3).unwrap();
            assert_eq!(cut, probed[..probed.len().min(3)], "{p}: bounded");
        }
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

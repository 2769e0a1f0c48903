//! `/proc/self/mountinfo`, parsed (proc(5)): shared by the cgroup probe (which mount holds a
//! controller), the DrvFs checks (is the working directory on a Windows drive) and doctor.
//!
//! A line is `id parent maj:min root mountpoint options [optional fields...] - fstype source
//! superoptions`. The optional fields vary in number, so the ` - ` separator is searched for;
//! paths are octal-escaped (`\040` space, `\011` tab, `\012` newline, `\134` backslash) and
//! decoded here into raw bytes; WSL's 9p super options contain spaces, so they are the rest of
//! the line.

use crate::sysroot::Sys;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    /// The root of the mount within its filesystem (for cgroups: the cgroup path it shows).
    pub root: PathBuf,
    pub mount_point: PathBuf,
    pub options: String,
    pub fstype: String,
    pub source: String,
    pub super_options: String,
}

impl Mount {
    /// True for a Windows drive: drvfs, 9p with `aname=drvfs`, or virtiofs (WSL's newer
    /// transport for drives).
    pub(crate) fn is_drvfs(&self) -> bool {
        self.fstype == "drvfs"
            || self.fstype == "virtiofs"
            || (self.fstype == "9p" && self.super_options.split([',', ';']).any(|o| o.starts_with("aname=drvfs")))
    }

    /// The options a mount was made with, from both option fields.
    pub(crate) fn has_option(&self, opt: &str) -> bool {
        self.options
            .split(',')
            .chain(self.super_options.split([',', ';']))
            .any(|o| o == opt)
    }
}

/// The largest mountinfo read (a machine with thousands of mounts stays under this).
pub(crate) const MAX_MOUNTINFO: usize = 4 << 20;

/// Reads and parses `/proc/self/mountinfo` (callers go through [`crate::probe::Facts`], which
/// reads it at most once per run).
pub(crate) fn read(sys: &Sys) -> std::io::Result<Vec<Mount>> {
    sys.read_max("/proc/self/mountinfo", MAX_MOUNTINFO).map(|b| parse(&b))
}

/// Parses a whole mountinfo file; lines that do not parse are skipped.
pub(crate) fn parse(text: &[u8]) -> Vec<Mount> {
    // Sized once (a count of the lines is a fast scan): growing it copied every mount so far.
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', text).count() + 1);
    out.extend(text.split(|&b| b == b'\n').filter_map(parse_line));
    out
}

/// True when every backslash starts a three-digit octal escape of a byte value.
pub(crate) fn escapes_valid(s: &[u8]) -> bool {
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'\\', &s[i..]) {
        let j = i + off;
        let d = match s.get(j + 1..j + 4) {
            Some(d) if d.iter().all(|c| (b'0'..=b'7').contains(c)) => d,
            _ => return false,
        };
        if d[0] > b'3' {
            return false;
        }
        i = j + 4;
    }
    true
}

/// Parses one line, `None` when it is not a mountinfo line.
pub(crate) fn parse_line(line: &[u8]) -> Option<Mount> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let sep = find_separator(line)?;
    let (head, tail) = (&line[..sep], &line[sep + 3..]);
    let mut f = head.split(|&b| b == b' ').filter(|s| !s.is_empty());
    let id = f.next()?;
    let parent = f.next()?;
    let majmin = f.next()?;
    if !is_digits(id) || !is_digits(parent) || !majmin.contains(&b':') {
        return None;
    }
    let root = f.next()?;
    let mount_point = f.next()?;
    let options = f.next()?;
    let mut t = tail.splitn(3, |&b| b == b' ');
    let fstype = t.next().filter(|s| !s.is_empty())?;
    let source = t.next()?;
    // The kernel escapes every backslash in these fields as `\134`: a lone `\` means the line
    // was not made by the kernel (Go's runtime rejects those too). The super options are left
    // as the filesystem wrote them (WSL's 9p shows `path=C:\;` unescaped).
    let root = decode(root)?;
    let mount_point = decode(mount_point)?;
    let fstype = decode(fstype)?;
    let source = decode(source)?;
    let super_options = t.next().unwrap_or(b"");
    Some(Mount {
        root: PathBuf::from(OsString::from_vec(root)),
        mount_point: PathBuf::from(OsString::from_vec(mount_point)),
        options: text(options.to_vec()),
        fstype: text(fstype),
        source: text(source),
        super_options: text(super_options.to_vec()),
    })
}

/// A field with its escapes decoded, `None` when one is not valid ([`escapes_valid`]). Most
/// fields hold no backslash: one scan finds that, where checking and decoding took two each.
fn decode(s: &[u8]) -> Option<Vec<u8>> {
    if memchr::memchr(b'\\', s).is_none() {
        return Some(s.to_vec());
    }
    escapes_valid(s).then(|| unescape(s))
}

/// The bytes as text (invalid UTF-8 replaced; the check alone is cheaper than the lossy walk).
fn text(v: Vec<u8>) -> String {
    String::from_utf8(v).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn is_digits(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// The first ` - ` (a plain scan: `memmem` builds a searcher per call, which costs more than
/// the search on lines this short; measured on a refresh).
fn find_separator(line: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'-', line)
        .find(|&i| i > 0 && line[i - 1] == b' ' && line.get(i + 1) == Some(&b' '))
        .map(|i| i - 1)
}

/// Decodes the kernel's octal escapes (`\NNN`, three octal digits). A backslash not followed by
/// three octal digits is kept as it is.
pub(crate) fn unescape(s: &[u8]) -> Vec<u8> {
    if memchr::memchr(b'\\', s).is_none() {
        return s.to_vec();
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && s.len() - i >= 4 {
            let d = &s[i + 1..i + 4];
            if d.iter().all(|c| (b'0'..=b'7').contains(c)) {
                let v = u32::from(d[0] - b'0') * 64 + u32::from(d[1] - b'0') * 8 + u32::from(d[2] - b'0');
                if v <= 255 {
                    out.push(v as u8);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// The mount that holds `path`: the one with the longest mount point that prefixes it at a
/// path boundary (later mounts win over earlier ones on the same point).
pub(crate) fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    let mut best: Option<&Mount> = None;
    for m in mounts {
        if path.starts_with(&m.mount_point) {
            let better = match best {
                None => true,
                Some(b) => m.mount_point.as_os_str().len() >= b.mount_point.as_os_str().len(),
            };
            if better {
                best = Some(m);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_optional_fields_and_spaces_in_super_options() {
        let l = b"86 74 0:47 / /mnt/c rw,noatime shared:23 master:1 - 9p C:\\134 rw,dirsync,aname=drvfs;path=C:\\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,msize=65536,trans=fd,rfd=5,wfd=5";
        let m = parse_line(l).unwrap();
        assert_eq!(m.mount_point, PathBuf::from("/mnt/c"));
        assert_eq!(m.fstype, "9p");
        assert_eq!(m.source, "C:\\");
        assert!(m.is_drvfs());
        let l = b"31 23 0:26 /a\\040b /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu with space";
        let m = parse_line(l).unwrap();
        assert_eq!(m.root, PathBuf::from("/a b"));
        assert_eq!(m.super_options, "rw,cpu with space");
        assert!(!m.is_drvfs());
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_line(b"").is_none());
        assert!(parse_line(b"x y z - a b c").is_none());
        assert!(parse_line(b"1 2 3:4 / / rw").is_none());
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape(b"a\\040b\\011c\\012d\\134e"), b"a b\tc\nd\\e");
        assert_eq!(unescape(b"trail\\04"), b"trail\\04");
        assert_eq!(unescape(b"\\777"), b"\\777");
    }

    #[test]
    fn mount_of_boundary() {
        let ms = parse(b"1 0 0:1 / / rw - ext4 /dev/sda rw\n2 1 0:2 / /mnt/c rw - 9p C: aname=drvfs\n");
        assert_eq!(mount_of(&ms, Path::new("/mnt/c/x")).unwrap().fstype, "9p");
        assert_eq!(mount_of(&ms, Path::new("/mnt/cd")).unwrap().fstype, "ext4");
    }

    #[test]
    fn escapes() {
        assert!(escapes_valid(b"/a\\040b\\134"));
        assert!(!escapes_valid(b"/a/b\\c"));
        assert!(!escapes_valid(b"/a/b\\01"));
        assert!(!escapes_valid(b"/a/b\\018"));
        assert!(!escapes_valid(b"/a/b\\777"));
    }
}

//! Is the Windows-side proxy up? A TCP connect to host:port, cached, never slow (SPEC 5.4).
//!
//! The prompt hook may not wait on the network: no prompt may take more than 5 ms even when
//! the host drops packets (the Windows firewall's default for WSL's interface), where a plain
//! `connect` would hang for a minute. So a liveness result is remembered per host:port for
//! `recheck_secs` in a cache directory, and when it is stale the hook tries a connect bounded
//! by [`PROMPT_BUDGET`]: a listening proxy on the Hyper-V switch or on loopback answers (or
//! refuses) in well under a millisecond. When the bound passes with no answer, the hook keeps
//! the last known result and starts a detached background probe (`wslgo probe-proxy`, stdio
//! closed, its own process group) that waits up to [`BACKGROUND_WAIT`] and writes the cache, so
//! a later prompt knows. A marker file stops many shells refreshing at once from starting
//! one background probe each.
//!
//! The cache directory is `$XDG_RUNTIME_DIR/wslgo` (else `$XDG_CACHE_HOME/wslgo`, else
//! `~/.cache/wslgo`). It must be a real directory (not a symlink someone planted), owned by
//! this user, mode 0700; otherwise it is not used at all. Entries are written to a fresh name
//! (`create_new`, which never follows a symlink) and renamed into place, so a reader sees a
//! whole old entry or a whole new one, never half of either.

use crate::shellenv::ShellEnv;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The longest a prompt waits for one round of connects (all ports at once). A refresh is
/// ~1 ms of work besides, and starting the background probe ~0.5 ms; with this bound the worst
/// prompt stays under SPEC's 5 ms. (poll(2) counts in milliseconds: 1 ms is one poll.) A proxy
/// on the Hyper-V switch answers in a fraction of that; one that misses it is found by the
/// background probe for the next prompt.
pub(crate) const PROMPT_BUDGET: Duration = Duration::from_millis(1);
/// How long the background probe and `wslgo env` wait for an answer before calling it a timeout.
pub(crate) const BACKGROUND_WAIT: Duration = Duration::from_secs(1);
/// A background probe's marker younger than this means one is still running.
const MARKER_SECS: u64 = 5;
/// Cache entries are one short line.
const MAX_ENTRY: usize = 512;
const TAG: &str = "wslgo-proxy-1";

/// What a connect to host:port got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// The connection was accepted.
    Up,
    /// ECONNREFUSED: the host answered, nothing listens there for us.
    Refused,
    /// No answer within the wait: packets are dropped on the way.
    Timeout,
    /// Any other failure (no route, unreachable, a name that does not resolve).
    Error(String),
}

impl Answer {
    fn word(&self) -> &str {
        match self {
            Answer::Up => "up",
            Answer::Refused => "refused",
            Answer::Timeout => "timeout",
            Answer::Error(_) => "error",
        }
    }

    /// In words, for `wslgo env`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Answer::Up => "answered".into(),
            Answer::Refused => "refused the connection".into(),
            Answer::Timeout => format!("did not answer within {} s", BACKGROUND_WAIT.as_secs()),
            Answer::Error(e) => format!("failed: {e}"),
        }
    }
}

/// One liveness result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Probe {
    pub answer: Answer,
    /// How long the connect took, in microseconds.
    pub rtt_us: u64,
    /// When it was made (Unix seconds).
    pub at: u64,
}

/// Where a port's result comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// A cached result still within `recheck_secs`.
    Cached,
    /// Checked by this run.
    Now,
    /// Stale or unknown, and being checked in the background; the result shown (if any) is the
    /// last known one.
    Pending,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PortStatus {
    pub port: u16,
    pub probe: Option<Probe>,
    pub source: Source,
}

impl PortStatus {
    pub(crate) fn answer(&self) -> Option<&Answer> {
        self.probe.as_ref().map(|p| &p.answer)
    }
}

/// How long a caller may wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wait {
    /// The prompt hook: the cache, else at most [`PROMPT_BUDGET`], else the background.
    Prompt,
    /// `wslgo env`/`doctor`: a fresh answer, waiting up to [`BACKGROUND_WAIT`].
    Interactive,
}

/// The liveness of each port of one host, in the order asked.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    pub ports: Vec<PortStatus>,
    /// The cache directory, or why none is used.
    pub cache: Result<PathBuf, String>,
}

/// Checks `host` on each of `ports`.
pub(crate) fn check(env: &ShellEnv, host: &str, ports: &[u16], recheck_secs: u64, wait: Wait) -> Report {
    let cache = cache_dir(env);
    let dir = cache.as_ref().ok().map(PathBuf::as_path);
    let now = now_secs();
    let mut out: Vec<PortStatus> = ports
        .iter()
        .map(|&port| {
            let probe = dir.and_then(|d| read_entry(d, host, port));
            let fresh = probe.as_ref().is_some_and(|p| p.at <= now && now - p.at < recheck_secs);
            PortStatus {
                port,
                probe,
                source: if fresh { Source::Cached } else { Source::Pending },
            }
        })
        .collect();

    match wait {
        Wait::Interactive => {
            let todo: Vec<u16> = out.iter().map(|s| s.port).collect();
            let got = connect_all(host, &todo, BACKGROUND_WAIT);
            for (s, (_, a, rtt)) in out.iter_mut().zip(got) {
                let p = Probe {
                    answer: a.unwrap_or(Answer::Timeout),
                    rtt_us: rtt,
                    at: now,
                };
                if let Some(d) = dir {
                    let _ = write_entry(d, host, s.port, &p);
                }
                s.probe = Some(p);
                s.source = Source::Now;
            }
        }
        Wait::Prompt => {
            // Ports with a background probe already running wait for it.
            let todo: Vec<u16> = out
                .iter()
                .filter(|s| s.source == Source::Pending && !dir.is_some_and(|d| in_flight(d, host, s.port, now)))
                .map(|s| s.port)
                .collect();
            if todo.is_empty() {
                return Report { ports: out, cache };
            }
            // A name would need a DNS lookup, which can take seconds: the background does it.
            // A port that timed out last time most likely still drops packets: straight to the
            // background, without spending the prompt's budget on it again.
            let (quick, slow): (Vec<u16>, Vec<u16>) = todo.iter().partition(|&&p| {
                let last = out.iter().find(|s| s.port == p).and_then(|s| s.answer());
                host.parse::<IpAddr>().is_ok() && last != Some(&Answer::Timeout)
            });
            let mut got: Vec<(u16, Option<Answer>, u64)> = if quick.is_empty() {
                Vec::new()
            } else {
                connect_all(host, &quick, PROMPT_BUDGET)
            };
            got.extend(slow.iter().map(|&p| (p, None, 0)));
            let mut later = Vec::new();
            for (port, a, rtt) in got {
                let s = out.iter_mut().find(|s| s.port == port).expect("asked port");
                match a {
                    Some(answer) => {
                        let p = Probe {
                            answer,
                            rtt_us: rtt,
                            at: now,
                        };
                        if let Some(d) = dir {
                            let _ = write_entry(d, host, port, &p);
                        }
                        s.probe = Some(p);
                        s.source = Source::Now;
                    }
                    None => later.push(port),
                }
            }
            if let Some(d) = dir {
                let claimed: Vec<u16> = later.into_iter().filter(|&p| claim(d, host, p, now)).collect();
                if !claimed.is_empty() {
                    spawn_background(host, &claimed);
                }
            }
        }
    }
    Report { ports: out, cache }
}

/// `wslgo probe-proxy <host> <ports>...`: the background probe. Waits up to `wait` for every
/// port at once, writes the cache, removes the markers.
pub(crate) fn run_background(env: &ShellEnv, host: &str, ports: &[u16], wait: Duration) -> i32 {
    let Ok(dir) = cache_dir(env) else {
        return 1;
    };
    let got = connect_all(host, ports, wait);
    let now = now_secs();
    for (port, a, rtt) in got {
        let p = Probe {
            answer: a.unwrap_or(Answer::Timeout),
            rtt_us: rtt,
            at: now,
        };
        let _ = write_entry(&dir, host, port, &p);
        let _ = fs::remove_file(dir.join(marker_name(host, port)));
    }
    0
}

/// Connects to every port of `host` at once, each bounded by `wait`. `None`: no answer yet.
fn connect_all(host: &str, ports: &[u16], wait: Duration) -> Vec<(u16, Option<Answer>, u64)> {
    let ip = match resolve(host, wait) {
        Ok(ip) => ip,
        Err(e) => return ports.iter().map(|&p| (p, Some(Answer::Error(e.clone())), 0)).collect(),
    };
    let one = move |port: u16| {
        let start = Instant::now();
        let r = TcpStream::connect_timeout(&SocketAddr::new(ip, port), wait);
        let rtt = start.elapsed().as_micros() as u64;
        let a = match r {
            Ok(_) => Some(Answer::Up),
            Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => Some(Answer::Refused),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => None,
            Err(e) => Some(Answer::Error(e.to_string())),
        };
        (port, a, rtt)
    };
    if ports.len() == 1 {
        return vec![one(ports[0])];
    }
    // One thread per port, so five dropped ports cost one wait, not five.
    let handles: Vec<_> = ports.iter().map(|&p| (p, std::thread::spawn(move || one(p)))).collect();
    handles
        .into_iter()
        .map(|(p, h)| h.join().unwrap_or((p, Some(Answer::Error("probe failed".into())), 0)))
        .collect()
}

/// An address literal as is; a name through the resolver, in a thread so that a hanging DNS
/// server costs at most `wait`.
fn resolve(host: &str, wait: Duration) -> Result<IpAddr, String> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(ip);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let name = host.to_string();
    std::thread::spawn(move || {
        let r = (name.as_str(), 0u16).to_socket_addrs().map(|mut a| a.next());
        let _ = tx.send(r);
    });
    match rx.recv_timeout(wait) {
        Ok(Ok(Some(a))) => Ok(a.ip()),
        Ok(Ok(None)) => Err(format!("{host} has no address")),
        Ok(Err(e)) => Err(format!("{host} does not resolve: {e}")),
        Err(_) => Err(format!("{host} did not resolve within {} ms", wait.as_millis())),
    }
}

/// Starts `wslgo probe-proxy` detached.
fn spawn_background(host: &str, ports: &[u16]) {
    let mut args = vec!["probe-proxy".to_string(), host.to_string()];
    args.extend(ports.iter().map(u16::to_string));
    spawn_detached(&args);
}

/// Starts `wslgo <args>` detached: stdio closed (so `$(wslgo hook)` does not wait for it), its
/// own process group (so Ctrl-C at the prompt does not reach it).
pub(crate) fn spawn_detached(args: &[String]) {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let _ = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}

pub(crate) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The cache directory, created if missing, or why it cannot be used.
pub(crate) fn cache_dir(env: &ShellEnv) -> Result<PathBuf, String> {
    let dir = crate::paths::cache_dir(env)?;
    if let Err(e) = fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir) {
        return Err(format!("cannot create {}: {e}", dir.display()));
    }
    check_dir(&dir)?;
    Ok(dir)
}

/// A real directory (a symlink is not followed), owned by this user, closed to others.
fn check_dir(dir: &Path) -> Result<(), String> {
    let m = fs::symlink_metadata(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if m.file_type().is_symlink() {
        return Err(format!("{} is a symlink; not used", dir.display()));
    }
    if !m.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    if m.uid() != crate::paths::uid() {
        return Err(format!("{} belongs to uid {}, not to this user; not used", dir.display(), m.uid()));
    }
    if m.mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| format!("{}: cannot chmod 0700: {e}", dir.display()))?;
    }
    Ok(())
}

/// The file name for host:port: the host kept readable when it is plain, with a hash when not.
fn entry_name(host: &str, port: u16) -> String {
    let clean: String = host
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean == host {
        format!("proxy-{clean}-{port}")
    } else {
        format!("proxy-{clean}-{:08x}-{port}", crate::hash::fnv(host.as_bytes()) as u32)
    }
}

fn marker_name(host: &str, port: u16) -> String {
    format!("{}.probing", entry_name(host, port))
}

/// A background probe for host:port started less than [`MARKER_SECS`] ago.
fn in_flight(dir: &Path, host: &str, port: u16, now: u64) -> bool {
    marker_fresh(dir, &marker_name(host, port), now)
}

/// Takes the right to start the background probe for host:port.
fn claim(dir: &Path, host: &str, port: u16, now: u64) -> bool {
    claim_marker(dir, &marker_name(host, port), now)
}

/// The marker `name` was made less than [`MARKER_SECS`] ago: its probe is still running.
pub(crate) fn marker_fresh(dir: &Path, name: &str, now: u64) -> bool {
    fs::symlink_metadata(dir.join(name)).is_ok_and(|m| {
        let t = m.mtime().max(0) as u64;
        t <= now + 1 && now.saturating_sub(t) < MARKER_SECS
    })
}

/// Takes the marker `name` (create_new: of many shells refreshing at once, one wins). An old
/// marker (a probe that died) is replaced.
pub(crate) fn claim_marker(dir: &Path, name: &str, now: u64) -> bool {
    let path = dir.join(name);
    let create = || OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path).is_ok();
    if create() {
        return true;
    }
    if !marker_fresh(dir, name, now) {
        let _ = fs::remove_file(&path);
        return create();
    }
    false
}

/// Reads a cache entry; anything but a well-formed entry for this very host:port is ignored.
pub(crate) fn read_entry(dir: &Path, host: &str, port: u16) -> Option<Probe> {
    let path = dir.join(entry_name(host, port));
    // The directory is ours and closed to others, so what is in it is what we wrote; still,
    // only a regular file is opened.
    if !fs::symlink_metadata(&path).ok()?.is_file() {
        return None;
    }
    let b = crate::sysroot::read_bounded(&path, MAX_ENTRY).ok()?;
    parse_entry(std::str::from_utf8(&b).ok()?, host, port)
}

fn parse_entry(text: &str, host: &str, port: u16) -> Option<Probe> {
    let line = text.strip_suffix('\n')?;
    let mut f = line.split(' ');
    if f.next()? != TAG || f.next()? != host.replace(' ', "_") || f.next()?.parse::<u16>().ok()? != port {
        return None;
    }
    let at: u64 = f.next()?.parse().ok()?;
    let word = f.next()?;
    let rtt_us: u64 = f.next()?.parse().ok()?;
    let rest: Vec<&str> = f.collect();
    let answer = match word {
        "up" => Answer::Up,
        "refused" => Answer::Refused,
        "timeout" => Answer::Timeout,
        "error" => Answer::Error(rest.join(" ")),
        _ => return None,
    };
    Some(Probe { answer, rtt_us, at })
}

fn format_entry(host: &str, port: u16, p: &Probe) -> String {
    let detail = match &p.answer {
        Answer::Error(e) => format!(" {}", crate::warn::one_line(e)),
        _ => String::new(),
    };
    format!(
        "{TAG} {} {port} {} {} {}{detail}\n",
        host.replace(' ', "_"),
        p.at,
        p.answer.word(),
        p.rtt_us
    )
}

/// Writes an entry by atomic rename.
pub(crate) fn write_entry(dir: &Path, host: &str, port: u16, p: &Probe) -> io::Result<()> {
    write_atomic(dir, &entry_name(host, port), format_entry(host, port, p).as_bytes())
}

/// Writes `dir/name` by atomic rename: a fresh temp file (create_new never follows a planted
/// symlink), then `rename`, which replaces whatever is at the name rather than writing through it.
pub(crate) fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let tmp = dir.join(format!(".{name}.{}.{nanos}.tmp", std::process::id()));
    let r = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        f.write_all(bytes)?;
        fs::rename(&tmp, dir.join(name))
    })();
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_round_trip_and_rejects() {
        let p = Probe {
            answer: Answer::Error("no route\nto host".into()),
            rtt_us: 12,
            at: 99,
        };
        let t = format_entry("172.29.64.1", 7890, &p);
        let back = parse_entry(&t, "172.29.64.1", 7890).unwrap();
        assert_eq!(back.answer, Answer::Error("no route to host".into()));
        assert_eq!((back.rtt_us, back.at), (12, 99));
        assert!(parse_entry(&t, "172.29.64.1", 7891).is_none(), "another port");
        assert!(parse_entry(&t, "10.0.0.1", 7890).is_none(), "another host");
        assert!(parse_entry(&t[..t.len() - 1], "172.29.64.1", 7890).is_none(), "cut short");
        assert!(parse_entry("garbage\n", "h", 1).is_none());
    }

    #[test]
    fn names_stay_distinct() {
        assert_eq!(entry_name("127.0.0.1", 7890), "proxy-127.0.0.1-7890");
        assert_ne!(entry_name("a/b", 1), entry_name("a_b", 1));
        assert_ne!(entry_name("::1", 1), entry_name("__1", 1));
        assert!(!entry_name("../../etc/passwd", 1).contains('/'));
    }
}

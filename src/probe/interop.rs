//! Running a Windows program through WSL interop, bounded: interop can take seconds on a busy
//! machine or hang outright, so every call has a deadline after which the program and whatever
//! it started (its own process group) are killed. Never called at a prompt.

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

// kill(2): to end a program that outlives the bound, with whatever it started.
unsafe extern "C" {
    fn kill(pid: i32, sig: i32) -> i32;
}
const SIGKILL: i32 = 9;

/// Runs `exe args`, stdin closed, and returns at most `max` bytes of its stdout when it exits
/// successfully before `deadline`.
pub fn run(exe: &Path, args: &[&str], deadline: Instant, max: usize) -> Result<Vec<u8>, String> {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    let name = exe
        .file_name()
        .map_or_else(|| exe.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run {} (interop): {}", exe.display(), crate::warn::one_line(&e.to_string())))?;
    let mut out = child.stdout.take().expect("piped");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut v = Vec::new();
        let r = (&mut out).take(max as u64).read_to_end(&mut v);
        let _ = tx.send(r.map(|_| v));
    });
    let pid = child.id() as i32;
    let secs = |d: Duration| d.as_secs_f64();
    let total = deadline.saturating_duration_since(Instant::now());
    let give_up = |child: &mut std::process::Child| {
        // SAFETY: kill(2) on our child's process group; touches no memory.
        unsafe {
            kill(-pid, SIGKILL);
        }
        let _ = child.kill();
        let _ = child.wait();
    };
    let got = match rx.recv_timeout(total) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            give_up(&mut child);
            return Err(format!("reading {name}'s output: {e}"));
        }
        Err(_) => {
            give_up(&mut child);
            return Err(format!("{name} did not answer within {} s", secs(total).round()));
        }
    };
    loop {
        match child.try_wait() {
            Ok(Some(st)) if st.success() => return Ok(got),
            Ok(Some(st)) => return Err(format!("{name} failed ({st})")),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            _ => {
                give_up(&mut child);
                return Err(format!("{name} did not exit within {} s", secs(total).round()));
            }
        }
    }
}

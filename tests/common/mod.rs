//! Test harness: real interactive bash and zsh processes with the wslgo snippet in their rc
//! file, in a throwaway HOME, fed a script on stdin (the prompt hook fires before each line,
//! as it does for a person typing).
//!
//! Shells and tools that are missing make a test fail when `CI=true` and skip it otherwise,
//! with a `SKIP <test>: <why>` line on the suite's stderr ([`skip`]).

#![allow(dead_code)]

pub mod build;
pub mod go;
pub mod tmux;

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_wslgo"))
}

/// The team's fixtures of real systems, copied into the repo (tests/fixtures/shared, with the
/// MANIFEST.md of each folder saying where each file came from): tests never read outside the
/// repository.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shared")
}

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "wslgo-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = Command::new("chmod").arg("-R").arg("u+rwx").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The path of a shell, or `None` (test skipped) when it is not installed; under `CI=true` a
/// missing shell fails the test instead.
pub fn shell_path(name: &str) -> Option<PathBuf> {
    for dir in ["/usr/bin", "/bin", "/usr/local/bin"] {
        let p = Path::new(dir).join(name);
        if p.exists() {
            return Some(p);
        }
    }
    skip(&format!("{name} is not installed"));
    None
}

/// Whether the suite runs under CI (`CI=true`), where nothing may be skipped.
pub fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// A test that cannot run here: under `CI=true` it fails; otherwise it prints a `SKIP` line
/// straight to the process's stderr (not through `eprintln!`, which the test harness captures
/// and hides for a test that passes), so a reader of the suite's output sees it. The caller
/// then returns.
pub fn skip(why: &str) {
    skip_under(ci(), why);
}

/// [`skip`] with the CI flag given.
pub fn skip_under(ci: bool, why: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("?").to_string();
    if ci {
        panic!("{test}: {why}: required under CI=true");
    }
    let _ = writeln!(std::io::stderr().lock(), "SKIP {test}: {why}");
}

/// A fake user: HOME, XDG dirs and rc files in a temp dir, and the environment a shell starts
/// with (nothing from the test runner's own environment but a plain PATH).
pub struct Sandbox {
    pub dir: TempDir,
    pub home: PathBuf,
    pub env: Vec<(OsString, OsString)>,
    /// Lines put in the rc file before the init line.
    pub rc_before: String,
    /// Lines put in the rc file after the init line.
    pub rc_after: String,
    /// The binary the rc's init line runs (a copy can be made to delete it in a test).
    pub bin: PathBuf,
    /// Put the init line in the rc file at all.
    pub init: bool,
}

impl Sandbox {
    pub fn new(tag: &str) -> Sandbox {
        let dir = TempDir::new(tag);
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".config")).unwrap();
        std::fs::create_dir_all(dir.path().join("run")).unwrap();
        let mut env: Vec<(OsString, OsString)> = Vec::new();
        let mut set = |k: &str, v: &OsString| env.push((k.into(), v.clone()));
        set("HOME", &home.clone().into_os_string());
        set("PATH", &"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
        set("TERM", &"dumb".into());
        set("XDG_CONFIG_HOME", &home.join(".config").into_os_string());
        set("XDG_RUNTIME_DIR", &dir.path().join("run").into_os_string());
        set("XDG_CACHE_HOME", &home.join(".cache").into_os_string());
        set("USER", &"tester".into());
        Sandbox {
            dir,
            home,
            env,
            rc_before: String::new(),
            rc_after: String::new(),
            bin: bin(),
            init: true,
        }
    }

    pub fn set(&mut self, k: &str, v: impl Into<OsString>) -> &mut Self {
        let v = v.into();
        self.env.retain(|(n, _)| n != k);
        self.env.push((k.into(), v));
        self
    }

    pub fn unset(&mut self, k: &str) -> &mut Self {
        self.env.retain(|(n, _)| n != k);
        self
    }

    /// Writes a config file at the XDG path.
    /// Writes a config file at the XDG path, dated 10 s ago (as a file the user saved a while
    /// before: wslgo caches the parse of a file only once it is 2 s old; see
    /// `warm_start::a_config_rewritten_within_a_clock_tick_is_read_again`).
    pub fn config(&self, text: &str) -> PathBuf {
        let p = self.home.join(".config/wslgo/config.toml");
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(std::time::SystemTime::now() - Duration::from_secs(10)).unwrap();
        p
    }

    pub fn init_line(&self, shell: &str) -> String {
        let b = self.bin.as_os_str().as_bytes();
        let q = String::from_utf8(wslgo::render::quote(b)).unwrap();
        if shell == "fish" {
            return format!("{q} init fish | source\n");
        }
        format!("eval \"$({q} init {shell})\"\n")
    }

    /// fish's config file: `$XDG_CONFIG_HOME/fish/config.fish`.
    pub fn fish_config(&self) -> PathBuf {
        let xdg = self
            .env
            .iter()
            .find(|(k, _)| k == "XDG_CONFIG_HOME")
            .map(|(_, v)| PathBuf::from(v))
            .unwrap_or_else(|| self.home.join(".config"));
        xdg.join("fish/config.fish")
    }

    /// Writes the rc file for `shell` and returns the command that starts it interactively.
    pub fn command(&self, shell: &str, login: bool) -> Option<Command> {
        let path = shell_path(shell)?;
        let init = if self.init { self.init_line(shell) } else { String::new() };
        let mut cmd = Command::new(path);
        cmd.env_clear();
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.current_dir(&self.home);
        match shell {
            "bash" => {
                let rc = self.dir.path().join("bashrc");
                std::fs::write(&rc, format!("PS1=''\nPS2=''\n{}{init}{}", self.rc_before, self.rc_after)).unwrap();
                if login {
                    // A login shell reads ~/.bash_profile: the test controls it. A long
                    // option: bash takes none after a short one (`-l --rcfile` is an error).
                    cmd.arg("--login");
                }
                cmd.arg("--rcfile").arg(&rc).arg("-i");
            }
            "zsh" => {
                let zd = self.dir.path().join("zdot");
                std::fs::create_dir_all(&zd).unwrap();
                let rc = zd.join(".zshrc");
                if !rc.exists() || std::fs::read_to_string(&rc).unwrap().contains("# wslgo-test rc") {
                    std::fs::write(
                        &rc,
                        format!(
                            "# wslgo-test rc\nPS1=''\nPROMPT=''\nRPROMPT=''\nunsetopt prompt_sp prompt_cr\n{}{init}{}",
                            self.rc_before, self.rc_after
                        ),
                    )
                    .unwrap();
                }
                if !self.env.iter().any(|(k, _)| k == "ZDOTDIR") {
                    cmd.env("ZDOTDIR", &zd);
                }
                if login {
                    cmd.arg("-l");
                }
                cmd.arg("-i");
            }
            "fish" => {
                // An empty prompt and greeting keep stdout to what the script prints.
                let rc = self.fish_config();
                std::fs::create_dir_all(rc.parent().unwrap()).unwrap();
                if !rc.exists() || std::fs::read_to_string(&rc).unwrap().contains("# wslgo-test rc") {
                    std::fs::write(
                        &rc,
                        format!(
                            "# wslgo-test rc\nset -g fish_greeting\nfunction fish_prompt; end\nfunction fish_right_prompt; end\n{}{init}{}",
                            self.rc_before, self.rc_after
                        ),
                    )
                    .unwrap();
                }
                if login {
                    cmd.arg("-l");
                }
                cmd.arg("-i");
            }
            other => panic!("unknown shell {other}"),
        }
        Some(cmd)
    }

    /// Runs `script` in an interactive `shell`, one line per prompt. `None` when the shell is
    /// not installed (and not CI).
    pub fn run(&self, shell: &str, script: &str) -> Option<Output> {
        self.run_opts(shell, false, script)
    }

    pub fn run_opts(&self, shell: &str, login: bool, script: &str) -> Option<Output> {
        let mut cmd = self.command(shell, login)?;
        if shell == "fish" {
            return self.run_fish(cmd, script);
        }
        Some(run_with_input(&mut cmd, script, Duration::from_secs(60)))
    }

    /// fish fires `fish_prompt` only when it reads from a terminal: it runs under `script(1)`,
    /// which gives it a pty and types the script in. stdout and stderr then arrive as one
    /// stream, the terminal's: escape sequences and carriage returns are taken out, and each
    /// `\r`-separated piece of a line counts as a line (see [`Output::value`]).
    fn run_fish(&self, fish: Command, script: &str) -> Option<Output> {
        let script_bin = shell_path("script")?;
        let mut line = String::from("exec");
        for a in std::iter::once(fish.get_program()).chain(fish.get_args()) {
            line.push(' ');
            line.push_str(&String::from_utf8(wslgo::render::quote(a.as_bytes())).unwrap());
        }
        let mut cmd = Command::new(script_bin);
        cmd.env_clear();
        for (k, v) in fish.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.current_dir(&self.home).arg("-qefc").arg(line).arg("/dev/null");
        let raw = run_with_input(&mut cmd, script, Duration::from_secs(120));
        let text = strip_terminal(&raw.raw_stdout);
        Some(Output {
            stdout: text.clone(),
            stderr: text,
            raw_stdout: raw.raw_stdout,
            code: raw.code,
        })
    }
}

pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
    pub code: Option<i32>,
}

/// A terminal's output as lines: CSI/OSC escape sequences removed, and every `\r` a line break
/// (a terminal line redrawn several times holds each version).
pub fn strip_terminal(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\x1b' => match it.next() {
                Some('[') => {
                    for d in it.by_ref() {
                        if ('@'..='~').contains(&d) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    while let Some(d) = it.next() {
                        if d == '\x07' {
                            break;
                        }
                        if d == '\x1b' {
                            it.next();
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\r' => {
                if it.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            _ => out.push(c),
        }
    }
    out
}

impl Output {
    /// The value after `key=` on the first stdout line that starts with it.
    pub fn value(&self, key: &str) -> Option<String> {
        let pfx = format!("{key}=");
        self.stdout.lines().find_map(|l| l.strip_prefix(&pfx).map(str::to_string))
    }

    /// All `wslgo: ` warning lines on stderr.
    pub fn warnings(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("wslgo: "))
            .map(str::to_string)
            .collect()
    }

    pub fn count_warning(&self, id: &str) -> usize {
        let pfx = format!("wslgo: {id}: ");
        self.stderr.lines().filter(|l| l.starts_with(&pfx)).count()
    }
}

/// Runs a command with `input` on stdin, killing it after `timeout`.
pub fn run_with_input(cmd: &mut Command, input: &str, timeout: Duration) -> Output {
    use std::io::{Read, Write};
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn shell");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let w = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
        let _ = stdin.write_all(b"\nexit\n");
    });
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let ro = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = so.read_to_end(&mut v);
        v
    });
    let re = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = se.read_to_end(&mut v);
        v
    });
    let start = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("shell did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = w.join();
    let raw_stdout = ro.join().unwrap();
    let stderr = String::from_utf8_lossy(&re.join().unwrap()).into_owned();
    Output {
        stdout: String::from_utf8_lossy(&raw_stdout).replace('\r', ""),
        stderr,
        raw_stdout,
        code,
    }
}

/// Both POSIX-family shells, for tests that run the same script in each.
pub const SHELLS: &[&str] = &["bash", "zsh"];

/// All three shells wslgo hooks.
pub const ALL_SHELLS: &[&str] = &["bash", "zsh", "fish"];

/// Builds a fake system root: copies `(fixture, system path)` pairs into a new sysroot.
pub fn sysroot(files: &[(&Path, &str)]) -> TempDir {
    let d = TempDir::new("root");
    for (src, dst) in files {
        let to = d.path().join(dst.trim_start_matches('/'));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(src, &to).unwrap_or_else(|e| panic!("copy {} -> {}: {e}", src.display(), to.display()));
    }
    d
}

/// Writes `text` at system path `dst` inside a sysroot.
pub fn put(root: &Path, dst: &str, text: impl AsRef<[u8]>) {
    let to = root.join(dst.trim_start_matches('/'));
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::write(to, text).unwrap();
}

/// Runs `wslgo` directly (not through a shell) with the sandbox's environment.
pub fn wslgo(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    let mut c = Command::new(&sb.bin);
    c.env_clear();
    for (k, v) in &sb.env {
        c.env(k, v);
    }
    c.current_dir(&sb.home).args(args).stdin(Stdio::null()).output().unwrap()
}

/// `wslgo env --json` parsed.
pub fn env_json(sb: &Sandbox) -> serde_json::Value {
    let o = wslgo(sb, &["env", "--json"]);
    assert!(o.status.success(), "env --json failed: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The entry for `name` in `env --json`'s vars.
pub fn json_var<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    v["vars"].as_array()?.iter().find(|x| x["name"] == name)
}

/// The indented command lines of the README's "Two commands" section (the install command
/// first, then the test command).
pub fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let top = readme
        .split("\n## Two commands\n")
        .nth(1)
        .expect("README has a Two commands section");
    let top = top.split("\n## ").next().unwrap();
    top.lines().filter_map(|l| l.strip_prefix("    ")).map(str::to_string).collect()
}

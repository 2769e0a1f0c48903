//! `wslgo setup` through the binary on temporary HOMEs, and real shells that start with the
//! line it wrote.

mod common;
use common::*;
use std::os::unix::fs::symlink;
use std::path::Path;

fn setup(sb: &Sandbox, args: &[&str]) -> (i32, String, String) {
    let mut a = vec!["setup"];
    a.extend_from_slice(args);
    let o = wslgo(sb, &a);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn backups(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".wslgo-backup"))
        .collect();
    v.sort();
    v
}

/// Each shell's file, created when missing, the line at its end, once; a second run says it is
/// already there and changes nothing; the shell comes from $SHELL when not given.
#[test]
fn writes_the_right_file_once_for_each_shell() {
    for (sh, rel) in [("bash", ".bashrc"), ("zsh", "zdot/.zshrc"), ("fish", "xdg/fish/config.fish")] {
        let mut sb = Sandbox::new("setup-each");
        let (zd, xdg) = (sb.home.join("zdot"), sb.home.join("xdg"));
        sb.set("ZDOTDIR", zd).set("XDG_CONFIG_HOME", xdg);
        sb.set("SHELL", format!("/usr/bin/{sh}"));
        let file = sb.home.join(rel);
        let (code, out, err) = setup(&sb, &[]);
        assert_eq!(code, 0, "{sh}: {out}{err}");
        let text = std::fs::read_to_string(&file).unwrap_or_else(|_| panic!("{sh}: {} not written: {out}", file.display()));
        let last = text.lines().last().unwrap();
        let want = if sh == "fish" { "init fish | source" } else { "init " };
        assert!(last.contains(want) && last.contains("wslgo"), "{sh}: {text}");
        assert!(out.contains("undo:") && out.contains(&file.display().to_string()), "{sh}: {out}");
        // Again: nothing changes.
        let (code, out2, _) = setup(&sb, &[sh]);
        assert_eq!(code, 0);
        assert!(out2.contains("already there"), "{sh}: {out2}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text, "{sh}: a second run changed the file");
        // The shell named on the command line wins over $SHELL.
        if sh == "bash" {
            let (code, _, _) = setup(&sb, &["zsh"]);
            assert_eq!(code, 0);
            assert!(sb.home.join("zdot/.zshrc").exists(), "setup zsh with SHELL=bash");
        }
    }
}

/// An existing file: a backup with the original bytes first, the line appended after a
/// newline the file lacked, and the printed undo command restores it exactly.
#[test]
fn backs_up_appends_at_the_end_and_undo_restores() {
    let sb = Sandbox::new("setup-backup");
    let rc = sb.home.join(".bashrc");
    let orig = "export PATH=\"$HOME/bin:$PATH\"\nalias ll='ls -l'"; // no final newline
    std::fs::write(&rc, orig).unwrap();
    let (code, out, err) = setup(&sb, &["bash"]);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(&rc).unwrap();
    assert!(text.starts_with(&format!("{orig}\n")), "{text}");
    assert!(text.trim_end().ends_with("init bash)\""), "{text}");
    let b = backups(&sb.home);
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(std::fs::read_to_string(sb.home.join(&b[0])).unwrap(), orig);
    let undo = out.lines().find_map(|l| l.strip_prefix("undo:")).unwrap().trim().to_string();
    let st = std::process::Command::new("sh").arg("-c").arg(&undo).status().unwrap();
    assert!(st.success(), "{undo}");
    assert_eq!(std::fs::read_to_string(&rc).unwrap(), orig, "undo did not restore the file");
}

/// `--dry-run` says what it would do and touches nothing.
#[test]
fn dry_run_changes_nothing() {
    let sb = Sandbox::new("setup-dry");
    let rc = sb.home.join(".bashrc");
    std::fs::write(&rc, "x=1\n").unwrap();
    let (code, out, _) = setup(&sb, &["bash", "--dry-run"]);
    assert_eq!(code, 0);
    assert!(out.contains("would add") && out.contains("init bash"), "{out}");
    assert_eq!(std::fs::read_to_string(&rc).unwrap(), "x=1\n");
    assert!(backups(&sb.home).is_empty());
}

/// A symlinked rc file (a dotfile manager's): the target gets the line, the link stays a link.
#[test]
fn follows_a_symlinked_rc_file() {
    let sb = Sandbox::new("setup-link");
    let dots = sb.home.join("dotfiles");
    std::fs::create_dir_all(&dots).unwrap();
    std::fs::write(dots.join("zshrc"), "setopt autocd\n").unwrap();
    symlink(dots.join("zshrc"), sb.home.join(".zshrc")).unwrap();
    let (code, out, err) = setup(&sb, &["zsh"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(std::fs::symlink_metadata(sb.home.join(".zshrc")).unwrap().file_type().is_symlink());
    let text = std::fs::read_to_string(dots.join("zshrc")).unwrap();
    assert!(text.starts_with("setopt autocd\n") && text.contains("init zsh"), "{text}");
    assert!(out.contains("via the symlink"), "{out}");
    assert_eq!(backups(&dots).len(), 1);
}

/// A file that is not text (a NUL byte, bytes that are not UTF-8) or not a regular file is
/// refused: exit 1, untouched, no backup. An unknown $SHELL is a usage error.
#[test]
fn refuses_what_it_cannot_parse_as_text() {
    for (name, bytes) in [("nul", b"PATH=x\0\x01\x02\n".to_vec()), ("latin1", b"# caf\xe9\nx=1\n".to_vec())] {
        let sb = Sandbox::new("setup-bin");
        let rc = sb.home.join(".bashrc");
        std::fs::write(&rc, &bytes).unwrap();
        let (code, out, err) = setup(&sb, &["bash"]);
        assert_eq!(code, 1, "{name}: {out}{err}");
        assert!(err.contains("nothing changed"), "{name}: {err}");
        assert_eq!(std::fs::read(&rc).unwrap(), bytes, "{name}: the file changed");
        assert!(backups(&sb.home).is_empty(), "{name}");
    }
    let sb = Sandbox::new("setup-fifo");
    let st = std::process::Command::new("mkfifo").arg(sb.home.join(".bashrc")).status().unwrap();
    assert!(st.success());
    let (code, _, err) = setup(&sb, &["bash"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("not a regular file"), "{err}");

    let mut sb = Sandbox::new("setup-shell");
    sb.set("SHELL", "/bin/tcsh");
    let (code, _, err) = setup(&sb, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("wslgo setup bash|zsh|fish"), "{err}");
}

/// A real shell that starts with the file setup wrote gets the hook and the environment:
/// the binary's directory on PATH and the shell is `$SHELL`'s (whose files built that PATH),
/// so the line is the plain `wslgo init ...`.
#[test]
fn a_shell_started_with_the_line_setup_wrote_is_hooked() {
    for sh in ALL_SHELLS {
        let mut sb = Sandbox::new("setup-real");
        sb.init = false;
        let bindir = sb.dir.path().join("bin");
        std::fs::create_dir_all(&bindir).unwrap();
        std::fs::copy(bin(), bindir.join("wslgo")).unwrap();
        // A fresh copy may be briefly "text file busy" (another test thread forked while the
        // copy's write descriptor was open): wait until it runs.
        for _ in 0..100 {
            match std::process::Command::new(bindir.join("wslgo")).arg("--version").output() {
                Err(e) if e.raw_os_error() == Some(26) => std::thread::sleep(std::time::Duration::from_millis(20)),
                _ => break,
            }
        }
        sb.bin = bindir.join("wslgo");
        sb.set("PATH", format!("{}:/usr/bin:/bin", bindir.display()));
        sb.set("SHELL", format!("/bin/{sh}"));
        let zd = sb.dir.path().join("zdot");
        sb.set("ZDOTDIR", zd);
        let (code, out, err) = setup(&sb, &[sh]);
        assert_eq!(code, 0, "{sh}: {out}{err}");
        assert!(
            out.contains("    wslgo init") || out.contains("eval \"$(wslgo init"),
            "{sh}: the line names wslgo plainly: {out}"
        );
        // bash: the harness's rc file sources the ~/.bashrc setup wrote; zsh and fish read theirs.
        if *sh == "bash" {
            sb.rc_before = format!(". '{}'\n", sb.home.join(".bashrc").display());
        }
        let probe = match *sh {
            "bash" => "echo \"H=$PROMPT_COMMAND|$GOPATH\"\n",
            "zsh" => "echo \"H=${precmd_functions[*]}|$GOPATH\"\n",
            _ => "echo \"H=\"(functions -q _wslgo_hook; and echo _wslgo_hook)\"|$GOPATH\"\n",
        };
        let Some(o) = sb.run(sh, probe) else { continue };
        let h = o.value("H").unwrap_or_else(|| panic!("{sh}: {}\n{}", o.stdout, o.stderr));
        assert!(h.contains("_wslgo_hook"), "{sh}: {h}");
        assert!(h.ends_with(&format!("|{}/go", sb.home.display())), "{sh}: GOPATH: {h}");
    }
}

/// `wslgo setup zsh` (or fish) typed in a bash whose PATH has wslgo's directory only because
/// bash's own startup files put it there (`~/.profile`, `~/.bashrc`: rustup's
/// `~/.cargo/bin`, Debian's `~/.local/bin`): zsh and fish read neither, so a plain `wslgo` in
/// their rc file would be "command not found" at every start. The line names the binary by its
/// path then, and a zsh or fish started with a PATH that lacks the directory is hooked.
#[test]
fn a_line_for_another_shell_works_without_this_shells_path() {
    for sh in ["zsh", "fish"] {
        let mut sb = Sandbox::new("setup-other");
        sb.init = false;
        let bindir = sb.dir.path().join("cargo bin");
        std::fs::create_dir_all(&bindir).unwrap();
        std::fs::copy(bin(), bindir.join("wslgo")).unwrap();
        for _ in 0..100 {
            match std::process::Command::new(bindir.join("wslgo")).arg("--version").output() {
                Err(e) if e.raw_os_error() == Some(26) => std::thread::sleep(std::time::Duration::from_millis(20)),
                _ => break,
            }
        }
        sb.bin = bindir.join("wslgo");
        sb.set("SHELL", "/bin/bash");
        sb.set("PATH", format!("{}:/usr/bin:/bin", bindir.display()));
        sb.set("ZDOTDIR", sb.dir.path().join("zdot"));
        let (code, out, err) = setup(&sb, &[sh]);
        assert_eq!(code, 0, "{sh}: {out}{err}");
        // The new shell starts from the system PATH: bash's files never ran.
        sb.set("PATH", "/usr/local/bin:/usr/bin:/bin");
        let probe = match sh {
            "zsh" => "echo \"H=${precmd_functions[*]}|$GOPATH\"\n",
            _ => "echo \"H=\"(functions -q _wslgo_hook; and echo _wslgo_hook)\"|$GOPATH\"\n",
        };
        let Some(o) = sb.run(sh, probe) else { continue };
        let h = o.value("H").unwrap_or_else(|| panic!("{sh}: {}\n{}", o.stdout, o.stderr));
        assert!(
            h.contains("_wslgo_hook"),
            "{sh}: not hooked: {h}\nsetup said: {out}\nshell said: {}",
            o.stderr
        );
        assert!(h.ends_with(&format!("|{}/go", sb.home.display())), "{sh}: GOPATH: {h}");
        assert!(
            !o.stderr.contains("not found") && !o.stderr.contains("Unknown command"),
            "{sh}: {}",
            o.stderr
        );
    }
}

/// bash login shells whose ~/.profile does not run ~/.bashrc: setup's note prints a command
/// that adds the line to ~/.profile. Pasted (run by sh, as a user's paste would be in any
/// shell), a bash login shell is then hooked, and an `sh -l` (dash), which reads ~/.profile
/// too, neither runs the bash code of ~/.bashrc nor fails.
#[test]
fn the_bash_login_note_pasted_hooks_bash_and_leaves_sh_alone() {
    let Some(dash) = shell_path("dash") else {
        skip_under(ci(), "dash is not installed");
        return;
    };
    let mut sb = Sandbox::new("setup-note");
    sb.init = false;
    sb.set("SHELL", "/bin/bash");
    let profile = sb.home.join(".profile");
    std::fs::write(&profile, "PROFILE_T=1\nexport PROFILE_T\n").unwrap();
    let (code, out, err) = setup(&sb, &["bash"]);
    assert_eq!(code, 0, "{out}{err}");
    let note = out
        .lines()
        .find(|l| l.starts_with("note: "))
        .unwrap_or_else(|| panic!("no note: {out}"));
    let (_, cmd) = note.rsplit_once("add the line to it: ").unwrap_or_else(|| panic!("{note}"));
    // ~/.bashrc gets bash-only code ahead of wslgo's line, and a mark of each run.
    let runs = sb.dir.path().join("bashrc.runs");
    let bashrc = std::fs::read_to_string(sb.home.join(".bashrc")).unwrap();
    std::fs::write(
        sb.home.join(".bashrc"),
        format!("echo run >> '{}'\nshopt -s checkwinsize\nPS1=''\nPS2=''\n{bashrc}", runs.display()),
    )
    .unwrap();
    let pasted = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .env("HOME", &sb.home)
        .current_dir(&sb.home)
        .status()
        .unwrap();
    assert!(pasted.success(), "{cmd}");
    // wslgo's own reading of the startup files now sees ~/.bashrc run: no note again (setup
    // into a fresh ~/.bashrc, as an existing line stops it before the note).
    let keep = sb.dir.path().join("bashrc.keep");
    std::fs::rename(sb.home.join(".bashrc"), &keep).unwrap();
    let (code, out, err) = setup(&sb, &["bash"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("(a new file)") && !out.contains("note: "),
        "the pasted line is not seen: {out}"
    );
    std::fs::rename(&keep, sb.home.join(".bashrc")).unwrap();
    // bash login: hooked, ~/.bashrc ran once.
    let Some(o) = sb.run_opts("bash", true, "echo \"H=$PROMPT_COMMAND|$PROFILE_T\"\n") else {
        return;
    };
    let h = o.value("H").unwrap_or_else(|| panic!("{}\n{}", o.stdout, o.stderr));
    assert!(
        h.contains("_wslgo_hook") && h.ends_with("|1"),
        "bash login not hooked: {h}\n{}",
        o.stderr
    );
    assert_eq!(std::fs::read_to_string(&runs).unwrap().lines().count(), 1);
    // sh -l (dash): reads ~/.profile, not ~/.bashrc, and says nothing.
    std::fs::write(&runs, "").unwrap();
    let o = std::process::Command::new(dash)
        .arg("-l")
        .arg("-c")
        .arg("echo \"P=$PROFILE_T\"")
        .env_clear()
        .envs(sb.env.iter().map(|(k, v)| (k, v)))
        .current_dir(&sb.home)
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "sh -l failed: {stdout}{stderr}");
    assert_eq!(stdout.trim(), "P=1", "{stderr}");
    assert_eq!(stderr, "", "sh -l complained");
    assert_eq!(std::fs::read_to_string(&runs).unwrap(), "", "sh -l ran ~/.bashrc");
}

/// zsh completes `wslgo <Tab>` only once its completion system is started, which a new user's
/// .zshrc (Debian gives none; setup creates it) does not do: setup says so, with the line to
/// add; pasted, a real zsh has wslgo's completion registered at its first prompt. A .zshrc that
/// starts compinit gets no note.
#[test]
fn the_zsh_compinit_note_pasted_gives_wslgo_completion() {
    let mut sb = Sandbox::new("setup-compinit");
    sb.init = false;
    let zd = sb.dir.path().join("zdot");
    sb.set("ZDOTDIR", &zd);
    let (code, out, err) = setup(&sb, &["zsh"]);
    assert_eq!(code, 0, "{out}{err}");
    let note = out
        .lines()
        .find(|l| l.starts_with("note: ") && l.contains("compinit"))
        .unwrap_or_else(|| panic!("no compinit note: {out}"));
    let (_, cmd) = note.rsplit_once("start it: ").unwrap_or_else(|| panic!("{note}"));
    let pasted = std::process::Command::new("sh").arg("-c").arg(cmd).status().unwrap();
    assert!(pasted.success(), "{cmd}");
    let Some(o) = sb.run("zsh", "echo \"C=${_comps[wslgo]-none}\"\n") else {
        return;
    };
    assert_eq!(o.value("C").as_deref(), Some("_wslgo"), "{}\n{}", o.stdout, o.stderr);
    // A .zshrc that starts compinit: no note.
    std::fs::write(zd.join(".zshrc"), "autoload -Uz compinit && compinit\n").unwrap();
    let (code, out, err) = setup(&sb, &["zsh"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("added at the end") && !out.contains("note: "), "{out}");
}

//! Values of arbitrary bytes reach the shell byte-exact through a managed variable, and
//! nothing in them runs (SPEC 11).
//!
//! The route: the user's LANG holds the value (a locale that does not exist), wslgo replaces it
//! at the next prompt (recording the original in its state), and `wslgo deactivate` restores
//! it. The value so passes through the state encoding, the diff and the renderer, and is
//! evaluated by the real shell twice.

mod common;
use common::*;

/// xorshift64*: deterministic, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SPECIAL: &[u8] = b"'\"$`\\!;&|(){}[]<>*?~#\n\t =%";

/// 1000 values: hand-picked shell traps first, then random bytes (never NUL, which no variable
/// can hold), some of them long.
fn values(canary: &str) -> Vec<Vec<u8>> {
    let traps: Vec<String> = vec![
        "'".into(),
        "'\\''".into(),
        format!("$(touch {canary})"),
        format!("`touch {canary}`"),
        format!("'; touch {canary}; '"),
        format!("\"; touch {canary}; \""),
        format!("\n touch {canary}\n"),
        format!("$(touch {canary})'$(touch {canary})'"),
        "${IFS}$((1+1))${HOME}".into(),
        "!!".into(),
        "\\".into(),
        "\\'".into(),
        "%s%n%d".into(),
        "-n".into(),
        "--".into(),
        "*".into(),
        "~".into(),
        "=".into(),
        "a=b c".into(),
        "\n".into(),
        "\n\n\n".into(),
        " leading and trailing ".into(),
        "\t".into(),
        "\x1b[31mred\x1b[0m".into(),
        "é中文".into(),
    ];
    let mut out: Vec<Vec<u8>> = traps.into_iter().map(String::into_bytes).collect();
    out.push(vec![0xff, 0xfe, b'\'', 0x80]);
    out.push(vec![0xc3]);
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    while out.len() < 1000 {
        let len = match rng.below(10) {
            0 => 1000 + rng.below(7000) as usize,
            1..=2 => 100 + rng.below(400) as usize,
            _ => 1 + rng.below(40) as usize,
        };
        let v: Vec<u8> = (0..len)
            .map(|_| match rng.below(4) {
                // Shell-special ASCII is over-represented on purpose.
                0 => SPECIAL[rng.below(SPECIAL.len() as u64) as usize],
                _ => 1 + rng.below(255) as u8,
            })
            .collect();
        out.push(v);
    }
    out
}

/// `$'\xHH...'`: every byte escaped, understood the same by bash and zsh.
fn ansi_c(v: &[u8]) -> String {
    let mut s = String::from("$'");
    for b in v {
        s.push_str(&format!("\\x{b:02x}"));
    }
    s.push('\'');
    s
}

fn round_trip(sh: &str) {
    let root = TempDir::new("qroot");
    std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
    let mut sb = Sandbox::new("quote");
    sb.set("WSLGO_SYSROOT", root.path().as_os_str());
    sb.set("LANG", "C.UTF-8").unset("LC_ALL");
    let canary = sb.dir.path().join("CANARY");
    let vals = values(&canary.display().to_string());
    let vdir = sb.dir.path().join("vals");
    let odir = sb.dir.path().join("out");
    std::fs::create_dir_all(&vdir).unwrap();
    std::fs::create_dir_all(&odir).unwrap();
    // The rc file hooked the shell; each value starts unhooked.
    let mut script = format!("eval \"$(\\command '{}' deactivate {sh})\"\n", sb.bin.display());
    for (i, v) in vals.iter().enumerate() {
        std::fs::write(vdir.join(i.to_string()), v).unwrap();
        let of = odir.join(i.to_string());
        // LANG takes the value, spelled byte by byte in $'\xHH' quoting (reading it from a file
        // with the shells' own `read` loses bytes: bash drops \x01, zsh stops early), before
        // init: an inherited value, which wslgo replaces when it is no UTF-8 locale (one the
        // user exports later would be theirs, SPEC 3). Then deactivate restores it.
        script.push_str(&format!(
            "export LANG={ansi}; eval \"$(\\command '{bin}' init {sh})\"\nprintf '%s' \"$LANG\" > '{of}.mid'\neval \"$(\\command '{bin}' deactivate {sh})\"; printf '%s' \"$LANG\" > '{of}'\n",
            ansi = ansi_c(v),
            of = of.display(),
            bin = sb.bin.display(),
        ));
    }
    let Some(o) = sb.run(sh, &script) else { return };
    let mut replaced = 0;
    for (i, v) in vals.iter().enumerate() {
        let got = std::fs::read(odir.join(i.to_string()))
            .unwrap_or_else(|_| panic!("{sh}: value {i} produced no output; stderr: {}", tail(&o.stderr)));
        if got != *v {
            let at = got.iter().zip(v.iter()).position(|(a, b)| a != b).unwrap_or(got.len().min(v.len()));
            panic!(
                "{sh}: value {i} changed on its way: {} bytes in, {} out, first difference at byte {at}: in {:?}, out {:?}",
                v.len(),
                got.len(),
                String::from_utf8_lossy(&v[at.saturating_sub(10)..(at + 10).min(v.len())]),
                String::from_utf8_lossy(&got[at.saturating_sub(10)..(at + 10).min(got.len())]),
            );
        }
        let mid = std::fs::read(odir.join(format!("{i}.mid"))).unwrap();
        if mid == b"C.UTF-8" {
            replaced += 1;
        } else {
            assert_eq!(mid, *v, "{sh}: value {i}: LANG neither replaced nor kept");
        }
    }
    // Nearly every random value is no locale, so wslgo replaced it: the route was really taken.
    assert!(replaced > 990, "{sh}: only {replaced} values were replaced by wslgo");
    assert!(!canary.exists(), "{sh}: a value was executed");
}

fn tail(s: &str) -> &str {
    &s[s.len().saturating_sub(2000)..]
}

/// fish spells every byte as `\XHH` (fish's escape for one raw byte).
fn fish_bytes(v: &[u8]) -> String {
    v.iter().map(|b| format!("\\X{b:02x}")).collect()
}

/// The same corpus in real interactive fish. fish reads its terminal a line at a time with
/// limits on a line's length, so the steps go into a file that the typed line sources: each
/// step sets LANG, hooks the shell (init replaces the inherited value), records the value,
/// deactivates and records again.
#[test]
fn thousand_values_byte_exact_in_fish() {
    let root = TempDir::new("fqroot");
    std::fs::create_dir_all(root.path().join("usr/lib/locale/C.utf8")).unwrap();
    let mut sb = Sandbox::new("fquote");
    sb.set("WSLGO_SYSROOT", root.path().as_os_str());
    sb.set("LANG", "C.UTF-8").unset("LC_ALL");
    let canary = sb.dir.path().join("CANARY");
    let vals = values(&canary.display().to_string());
    let odir = sb.dir.path().join("out");
    std::fs::create_dir_all(&odir).unwrap();
    // Each value is set before init (inherited: replaced when it is no UTF-8 locale; one the
    // user sets later would be theirs, SPEC 3), and deactivate restores it.
    let mut steps = format!("'{}' deactivate fish | source\n", sb.bin.display());
    for (i, v) in vals.iter().enumerate() {
        let of = odir.join(i.to_string());
        steps.push_str(&format!(
            "set -gx LANG {val}; '{bin}' init fish | source\nprintf '%s' \"$LANG\" > '{of}.mid'\n'{bin}' deactivate fish | source; printf '%s' \"$LANG\" > '{of}'\n",
            val = fish_bytes(v),
            of = of.display(),
            bin = sb.bin.display(),
        ));
    }
    let file = sb.dir.path().join("steps.fish");
    std::fs::write(&file, steps).unwrap();
    let Some(o) = sb.run("fish", &format!("source '{}'; echo \"DONE=\"1\n", file.display())) else {
        return;
    };
    assert_eq!(o.value("DONE").as_deref(), Some("1"), "fish: {}", tail(&o.stderr));
    let mut replaced = 0;
    for (i, v) in vals.iter().enumerate() {
        let got =
            std::fs::read(odir.join(i.to_string())).unwrap_or_else(|_| panic!("fish: value {i} produced no output; {}", tail(&o.stderr)));
        assert!(
            got == *v,
            "fish: value {i} changed on its way: {:?} became {:?}",
            String::from_utf8_lossy(v),
            String::from_utf8_lossy(&got)
        );
        let mid = std::fs::read(odir.join(format!("{i}.mid"))).unwrap();
        if mid == b"C.UTF-8" {
            replaced += 1;
        } else {
            assert_eq!(mid, *v, "fish: value {i}: LANG neither replaced nor kept");
        }
    }
    assert!(replaced > 990, "fish: only {replaced} values were replaced by wslgo");
    assert!(!canary.exists(), "fish: a value was executed");
}

#[test]
fn thousand_values_byte_exact_in_bash() {
    round_trip("bash");
}

#[test]
fn thousand_values_byte_exact_in_zsh() {
    round_trip("zsh");
}

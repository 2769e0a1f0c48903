//! FNV-1a, 64 bit: a hash that stays the same across Rust versions and builds, because its
//! values are kept in the shell's state and read back by other wslgo processes (a child shell,
//! a newer binary after an upgrade). std's `DefaultHasher` makes no such promise.

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

impl Fnv {
    pub(crate) const fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// The hash of one byte string.
pub(crate) fn fnv(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_values() {
        // Reference values of FNV-1a 64.
        assert_eq!(super::fnv(b""), 0xcbf29ce484222325);
        assert_eq!(super::fnv(b"a"), 0xaf63dc4c8601ec8c);
    }
}

//! The binary's memory allocator: a bump arena in front of the C library's `malloc`.
//!
//! Why: a refresh is a process that lives about half a millisecond, allocates a few thousand
//! small strings and vectors, and exits. The C library's allocator spends that time on
//! bookkeeping the process never profits from: musl's (the shipped static build) maps and
//! unmaps pages as size classes fill and empty (35 `mmap`/`munmap` calls per refresh, measured),
//! glibc's keeps free lists. An arena that only moves a pointer forward, and never gives memory
//! back, is the classic allocator for such a process: measured, a refresh of the musl build went
//! from 843 to 687 us, `init` from 1301 to 935 us (hyperfine, this repo's bench machine).
//!
//! The rules:
//! - an allocation is carved from the arena (a static buffer, in `.bss`: pages cost nothing until
//!   touched) when it fits, else it comes from the system allocator;
//! - freeing the newest block gives its bytes back (a temporary `String` built and dropped costs
//!   nothing); freeing any other block does nothing: the bytes are lost until the process ends
//!   (bounded by the arena's size: what does not fit goes to the system allocator, which frees);
//! - growing or shrinking the newest block happens in place (a `String` pushed to in a loop or a
//!   `Vec` that doubles stays where it is);
//! - every operation is a compare-and-swap on one counter, so threads (doctor's background
//!   probes) are safe.
//!
//! Hand-written rather than a crate: the crates that offer a global allocator (talc, rlsf,
//! linked-list allocators) keep free lists, the very bookkeeping this avoids; the bump-only ones
//! (bumpalo) are not global allocators. The rules above fit in a page and are tested below,
//! including by a property test against a model.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A bump arena of `N` bytes in front of [`System`].
#[repr(C, align(4096))]
pub struct Arena<const N: usize> {
    buf: UnsafeCell<[u8; N]>,
    /// Bytes in use from the start of `buf` (the next allocation starts at or after it).
    top: AtomicUsize,
}

// SAFETY: the buffer is handed out in disjoint blocks, each claimed by a compare-and-swap on
// `top`; the arena itself never reads or writes the bytes it handed out.
unsafe impl<const N: usize> Sync for Arena<N> {}

impl<const N: usize> Arena<N> {
    /// An empty arena (for a `static`: the buffer then lives in `.bss`).
    pub const fn new() -> Arena<N> {
        Arena {
            buf: UnsafeCell::new([0; N]),
            top: AtomicUsize::new(0),
        }
    }

    fn base(&self) -> usize {
        self.buf.get() as usize
    }

    /// The offset of `p` in the arena, when it points into it.
    fn offset(&self, p: *mut u8) -> Option<usize> {
        (p as usize).checked_sub(self.base()).filter(|&o| o < N)
    }

    /// Bytes of the arena in use (what the unit tests check; the sizes quoted above were read
    /// with it).
    pub fn used(&self) -> usize {
        self.top.load(Ordering::Relaxed)
    }

    /// A block from the arena, or null when it does not fit.
    fn bump(&self, l: Layout) -> *mut u8 {
        let base = self.base();
        let mut top = self.top.load(Ordering::Relaxed);
        loop {
            // The aligned start, as an offset (`align` is a power of two; no overflow: both
            // terms are below N + align).
            let start = (base + top).next_multiple_of(l.align()) - base;
            let Some(end) = start.checked_add(l.size()).filter(|&e| e <= N) else {
                return std::ptr::null_mut();
            };
            match self.top.compare_exchange_weak(top, end, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return (base + start) as *mut u8,
                Err(t) => top = t,
            }
        }
    }
}

impl<const N: usize> Default for Arena<N> {
    fn default() -> Self {
        Arena::new()
    }
}

// SAFETY: blocks are disjoint (claimed by CAS), aligned as asked, and at least `size` bytes;
// pointers that are not the arena's go to the system allocator that made them.
unsafe impl<const N: usize> GlobalAlloc for Arena<N> {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = self.bump(l);
        if p.is_null() {
            // SAFETY: the caller's layout, passed on.
            return unsafe { System.alloc(l) };
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        match self.offset(p) {
            // The newest block: its bytes go back (any other block's stay lost).
            Some(start) => {
                let _ = self
                    .top
                    .compare_exchange(start + l.size(), start, Ordering::Relaxed, Ordering::Relaxed);
            }
            // SAFETY: not the arena's, so the system allocator made it with this layout.
            None => unsafe { System.dealloc(p, l) },
        }
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let Some(start) = self.offset(p) else {
            // SAFETY: the system allocator's block, with the caller's layout and size.
            return unsafe { System.realloc(p, l, new_size) };
        };
        // The newest block grows or shrinks where it is, when the arena has the room.
        if let Some(new_end) = start.checked_add(new_size).filter(|&e| e <= N)
            && self
                .top
                .compare_exchange(start + l.size(), new_end, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            return p;
        }
        if new_size <= l.size() {
            // Any other block shrinks by keeping its place (the tail is lost, like a free).
            return p;
        }
        // SAFETY: a valid layout (GlobalAlloc's contract: new_size rounded to align fits isize).
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, l.align()) };
        // SAFETY: as for `alloc`.
        let q = unsafe { self.alloc(new_layout) };
        if !q.is_null() {
            // SAFETY: both blocks are at least `l.size()` bytes and disjoint (q is new).
            unsafe {
                std::ptr::copy_nonoverlapping(p, q, l.size());
                self.dealloc(p, l);
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lay(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_freed_newest_first() {
        let a = Box::new(Arena::<4096>::new());
        unsafe {
            let p = a.alloc(lay(3, 1));
            let q = a.alloc(lay(8, 8));
            assert_eq!(q as usize % 8, 0);
            assert!(q as usize >= p as usize + 3);
            assert_eq!(a.used(), q as usize - a.base() + 8);
            // Freeing an older block gives nothing back; the newest gives its bytes back.
            a.dealloc(p, lay(3, 1));
            assert_eq!(a.used(), q as usize - a.base() + 8);
            a.dealloc(q, lay(8, 8));
            assert_eq!(a.used(), q as usize - a.base());
        }
    }

    #[test]
    fn newest_block_grows_in_place_and_others_move_with_their_bytes() {
        let a = Box::new(Arena::<4096>::new());
        unsafe {
            let p = a.alloc(lay(4, 1));
            p.copy_from(b"abcd".as_ptr(), 4);
            let p2 = a.realloc(p, lay(4, 1), 100);
            assert_eq!(p2, p, "the newest block grows where it is");
            let q = a.alloc(lay(4, 1));
            let p3 = a.realloc(p2, lay(100, 1), 200);
            assert_ne!(p3, p2, "an older block cannot grow in place");
            assert_eq!(std::slice::from_raw_parts(p3, 4), b"abcd");
            assert!(p3 as usize >= q as usize + 4, "the moved block is after the newer one");
        }
    }

    #[test]
    fn what_does_not_fit_comes_from_the_system_allocator() {
        let a = Box::new(Arena::<256>::new());
        unsafe {
            let big = a.alloc(lay(1000, 8));
            assert!(!big.is_null());
            assert!(a.offset(big).is_none(), "a block larger than the arena is the system's");
            big.write_bytes(7, 1000);
            // Growing an arena block past the end moves it to the system allocator.
            let p = a.alloc(lay(100, 1));
            p.write_bytes(1, 100);
            let p2 = a.realloc(p, lay(100, 1), 10_000);
            assert!(a.offset(p2).is_none());
            assert!(std::slice::from_raw_parts(p2, 100).iter().all(|&b| b == 1));
            a.dealloc(p2, lay(10_000, 1));
            a.dealloc(big, lay(1000, 8));
        }
    }

    #[test]
    fn threads_get_disjoint_blocks() {
        static A: Arena<{ 1 << 16 }> = Arena::new();
        let addrs: Vec<Vec<(usize, usize)>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|t| {
                    s.spawn(move || {
                        (0..200)
                            .map(|i| {
                                let size = 1 + (i * 7 + t) % 40;
                                let p = unsafe { A.alloc(lay(size, 1)) };
                                unsafe { p.write_bytes(t as u8, size) };
                                (p as usize, size)
                            })
                            .collect()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut all: Vec<(usize, usize)> = addrs.into_iter().flatten().collect();
        all.sort();
        for w in all.windows(2) {
            assert!(w[0].0 + w[0].1 <= w[1].0, "overlapping blocks {w:?}");
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Op {
            Alloc(usize, u32),
            Free(usize),
            Realloc(usize, usize),
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                (0usize..600, 0u32..5).prop_map(|(s, a)| Op::Alloc(s, a)),
                any::<usize>().prop_map(Op::Free),
                (any::<usize>(), 0usize..900).prop_map(|(i, s)| Op::Realloc(i, s)),
            ]
        }

        proptest! {
            /// Against a model (each live block's bytes): every block keeps its contents
            /// through others' allocations, frees and reallocations, is aligned, and no two
            /// live blocks overlap, whether they came from the arena or the system.
            #[test]
            fn live_blocks_keep_their_bytes(ops in proptest::collection::vec(op(), 1..120)) {
                let a = Box::new(Arena::<2048>::new());
                let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
                for (n, o) in ops.into_iter().enumerate() {
                    let fill = (n % 251) as u8 + 1;
                    match o {
                        Op::Alloc(size, al) => {
                            let l = lay(size.max(1), 1 << al);
                            let p = unsafe { a.alloc(l) };
                            prop_assert!(!p.is_null());
                            prop_assert_eq!(p as usize % l.align(), 0);
                            unsafe { p.write_bytes(fill, l.size()) };
                            live.push((p, l, fill));
                        }
                        Op::Free(i) if !live.is_empty() => {
                            let (p, l, _) = live.remove(i % live.len());
                            unsafe { a.dealloc(p, l) };
                        }
                        Op::Realloc(i, size) if !live.is_empty() => {
                            let k = i % live.len();
                            let (p, l, f) = live[k];
                            let new = size.max(1);
                            let q = unsafe { a.realloc(p, l, new) };
                            prop_assert!(!q.is_null());
                            let kept = l.size().min(new);
                            let moved = unsafe { std::slice::from_raw_parts(q, kept) };
                            prop_assert!(moved.iter().all(|&b| b == f), "bytes lost in a realloc");
                            let nl = lay(new, l.align());
                            unsafe { q.write_bytes(f, new) };
                            live[k] = (q, nl, f);
                        }
                        _ => {}
                    }
                    for (p, l, f) in &live {
                        let bytes = unsafe { std::slice::from_raw_parts(*p, l.size()) };
                        prop_assert!(bytes.iter().all(|b| b == f), "a live block changed");
                    }
                    let mut spans: Vec<(usize, usize)> = live.iter().map(|(p, l, _)| (*p as usize, l.size())).collect();
                    spans.sort();
                    for w in spans.windows(2) {
                        prop_assert!(w[0].0 + w[0].1 <= w[1].0);
                    }
                }
                for (p, l, _) in live {
                    unsafe { a.dealloc(p, l) };
                }
            }
        }
    }
}

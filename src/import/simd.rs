//! Sixteen bytes compared at once, for the scans that run over every byte of an export:
//! SSE2 on x86-64 (part of its baseline, so always there), plain loops elsewhere.

/// Sixteen bytes of text, ready to be compared.
#[derive(Clone, Copy)]
pub struct Chunk(Inner);

#[cfg(target_arch = "x86_64")]
type Inner = std::arch::x86_64::__m128i;
#[cfg(not(target_arch = "x86_64"))]
type Inner = [u8; 16];

#[cfg(target_arch = "x86_64")]
impl Chunk {
    #[inline(always)]
    pub fn load(bytes: &[u8; 16]) -> Chunk {
        // SAFETY: `bytes` is 16 readable bytes, and this load has no alignment demand; SSE2
        // is part of the x86-64 baseline.
        Chunk(unsafe { std::arch::x86_64::_mm_loadu_si128(bytes.as_ptr().cast()) })
    }

    /// Bit `i` set when byte `i` is `needle`.
    #[inline(always)]
    pub fn eq(self, needle: u8) -> u16 {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8};
        // SAFETY: SSE2 is part of the x86-64 baseline: every x86-64 processor has it.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, _mm_set1_epi8(needle as i8))) as u16 }
    }
}

#[cfg(not(target_arch = "x86_64"))]
impl Chunk {
    #[inline(always)]
    pub fn load(bytes: &[u8; 16]) -> Chunk {
        Chunk(*bytes)
    }

    #[inline(always)]
    pub fn eq(self, needle: u8) -> u16 {
        self.mask(|b| b == needle)
    }

    #[inline(always)]
    fn mask(self, hit: impl Fn(u8) -> bool) -> u16 {
        let mut m = 0u16;
        for (i, b) in self.0.iter().enumerate() {
            m |= u16::from(hit(*b)) << i;
        }
        m
    }
}

impl Chunk {
    /// The first 16 bytes of `b`, padded with NUL bytes when it is shorter.
    #[inline(always)]
    pub fn load_padded(b: &[u8]) -> Chunk {
        match b.first_chunk::<16>() {
            Some(c) => Chunk::load(c),
            None => {
                let mut tail = [0u8; 16];
                tail[..b.len()].copy_from_slice(b);
                Chunk::load(&tail)
            }
        }
    }
}

/// Calls `visit(offset, chunk)` for every 16 bytes of `b`; the last, partial chunk is padded
/// with NUL bytes (so needles must not be NUL).
#[inline(always)]
pub fn for_each_chunk(b: &[u8], mut visit: impl FnMut(usize, Chunk)) {
    let (chunks, rest) = b.as_chunks::<16>();
    for (n, c) in chunks.iter().enumerate() {
        visit(n * 16, Chunk::load(c));
    }
    if !rest.is_empty() {
        visit(chunks.len() * 16, Chunk::load_padded(rest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_match_bytes() {
        let bytes: [u8; 16] = *b"a/b\nc\xc3\xa9/\xe2\x80\x8ez\r\n\0q";
        let c = Chunk::load(&bytes);
        let mask = |f: fn(u8) -> bool| {
            bytes
                .iter()
                .enumerate()
                .fold(0u16, |m, (i, b)| m | u16::from(f(*b)) << i)
        };
        assert_eq!(c.eq(b'/'), mask(|b| b == b'/'));
        assert_eq!(c.eq(b'\n'), mask(|b| b == b'\n'));
        assert_eq!(c.eq(0xE2), mask(|b| b == 0xE2));
    }

    #[test]
    fn chunks_cover_every_byte_once() {
        for n in [0, 1, 15, 16, 17, 31, 32, 33] {
            let text = vec![b'x'; n];
            let mut seen = 0;
            for_each_chunk(&text, |at, c| {
                assert_eq!(at, seen);
                seen += (c.eq(b'x').count_ones()) as usize;
            });
            assert_eq!(seen, n);
        }
    }
}

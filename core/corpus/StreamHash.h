#pragma once

#include <QtGlobal>

namespace ts {

/// A fast 64-bit hash of a byte stream fed in pieces: the value depends on the bytes only, not on
/// where the pieces were cut. Eight bytes (read little-endian) at a time go through a
/// multiply-xorshift round, the end through MurmurHash3's finaliser with the length, so values are
/// the same on every platform. Not cryptographic: for finding duplicates, not for adversaries.
class StreamHash
{
public:
    /// Appends `size` bytes at `bytes` to the stream.
    void feed(const void *bytes, qsizetype size);
    /// Bytes fed so far.
    qint64 length() const { return m_length; }
    /// The hash of the bytes fed.
    quint64 finish() const;

private:
    void mix(quint64 word);

    quint64 m_state = 0x243F6A8885A308D3ULL; // the first hex digits of pi: any non-zero start
    quint64 m_tail = 0;                      // the last length % 8 bytes, not yet mixed, low byte first
    qint64 m_length = 0;
};

} // namespace ts

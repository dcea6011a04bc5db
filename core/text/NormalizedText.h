#pragma once

#include <QString>

#include <string>
#include <vector>

namespace ts {

/// Text on its way through a tokenizer: UTF-8 bytes, each byte aligned with the span of the
/// original QString (UTF-16 code units) it came from, as Hugging Face's NormalizedString aligns
/// every byte. A token's offsets are the start of its first byte's span and the end of its last.
struct NormalizedText
{
    std::string bytes;           // UTF-8
    std::vector<int> origStart;  // per byte: first UTF-16 unit of the source character
    std::vector<int> origEnd;    // per byte: one past its last UTF-16 unit

    /// The characters of `text` in [begin, end) (UTF-16 units), each aligned with itself.
    static NormalizedText fromQString(const QString &text, int begin, int end);

    /// Appends `c` aligned with the original span [start, end).
    void append(char32_t c, int start, int end);
    /// Appends the bytes [from, to) of `other` with their alignments.
    void appendRange(const NormalizedText &other, std::size_t from, std::size_t to);
    /// Reserves room for `bytes` more bytes.
    void reserve(std::size_t bytes);
    std::size_t size() const { return bytes.size(); }
    bool empty() const { return bytes.empty(); }
};

} // namespace ts

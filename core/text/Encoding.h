#pragma once

#include <QList>
#include <QPair>
#include <QStringList>

namespace ts {

/// The tokens of one text (or text pair) as the model consumes them. All lists have one entry
/// per token, padding included.
struct Encoding
{
    QList<int> ids;
    QList<int> typeIds;       // segment: 0 for the first text, 1 for the second (BERT)
    QList<int> attentionMask; // 1 for tokens, 0 for padding
    /// Character offsets [start, end) in UTF-16 code units (QString indices) of the text the token
    /// came from (the first or the second of a pair, see sequenceIds); (0, 0) for added special
    /// tokens and padding. A token holding part of a character (a byte of an emoji) spans it whole.
    QList<QPair<int, int>> offsets;
    QStringList tokens;       // the vocabulary spelling ("##ing", "Ġthe", "▁the", "<0xE6>")
    QList<int> sequenceIds;   // 0 or 1: which text; -1: special token or padding

    int size() const { return int(ids.size()); }
};

} // namespace ts

#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace ts {

/// Options of WordPieceTrainer and BpeTrainer, with progress and abort callbacks.
struct TrainerParams
{
    int vocabSize = 8000;        // tokens in the result, special tokens and alphabet included
    int minFrequency = 2;        // a pair seen fewer times is never merged
    QStringList specialTokens;   // added first, in this order (WordPiece needs [UNK], [CLS], [SEP])
    bool lowercase = true;       // WordPiece: BERT uncased (lower-case, strip accents) or cased
    std::function<void(int merges, int target)> progress; // called now and then while merging
    std::function<bool()> abort; // polled now and then; true stops training with an error

    /// The defaults, with BERT's special tokens.
    static TrainerParams bertDefaults()
    {
        TrainerParams p;
        p.specialTokens = {QStringLiteral("[PAD]"), QStringLiteral("[UNK]"), QStringLiteral("[CLS]"),
                           QStringLiteral("[SEP]"), QStringLiteral("[MASK]")};
        return p;
    }
};

/// Pulls the next training text into `text`; returns false when there is none left.
using TextSource = std::function<bool(QString &text)>;

} // namespace ts

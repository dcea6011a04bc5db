#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace ts {

class Tokenizer;

/// Reads a BERT `vocab.txt` (one token per line, the line number is the id) into a WordPiece
/// tokenizer configured as Hugging Face's BertTokenizerFast: BERT normaliser and pre-tokeniser,
/// [CLS] A [SEP] template, "##" decoder, [PAD] [UNK] [CLS] [SEP] [MASK] as special tokens.
class VocabTxtReader
{
public:
    /// Most lines accepted.
    static constexpr int kMaxLines = 4 * 1024 * 1024;

    /// The tokenizer of `bytes`; `origin` names the file in error messages.
    static Result<Tokenizer> read(const QByteArray &bytes, const QString &origin, bool lowercase);
    /// `do_lower_case` from the tokenizer_config.json beside `vocabPath`; true when absent.
    static bool lowercaseFromConfig(const QString &vocabPath);
};

} // namespace ts

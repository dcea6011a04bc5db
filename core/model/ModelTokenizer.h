#pragma once

#include "text/Tokenizer.h"
#include "util/Result.h"

class QSqlDatabase;

namespace ts {

/// The tokenizer a registered model encodes text with: a Hugging Face model's tokenizer.json (or
/// vocab.txt) from its folder; a built-in model's tokenizer as stored in the project, which
/// add-model trained on the corpora of that moment (corpora imported later are not in it, so
/// their words may look more fragmented than the model's training text). Torch-free.
class ModelTokenizer
{
public:
    /// The tokenizer of the model called `nameOrId` in the project behind `db`.
    static Result<Tokenizer> load(const QSqlDatabase &db, const QString &nameOrId);
};

} // namespace ts

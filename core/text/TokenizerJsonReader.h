#pragma once

#include "text/TokenizerParts.h"
#include "util/Result.h"

#include <QByteArray>
#include <QString>

namespace ts {

/// Reads an untrusted tokenizer.json into TokenizerParts: every section is checked, and a
/// problem gives a message naming the file and the field ("tokenizer.json: model.merges[12] ...").
class TokenizerJsonReader
{
public:
    /// Parses `json`; `origin` (a path) starts every error message.
    static Result<TokenizerParts> read(const QByteArray &json, const QString &origin);

private:
    static Result<std::shared_ptr<const TokenModel>> readModel(const QJsonValue &model);
};

} // namespace ts

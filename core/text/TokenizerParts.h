#pragma once

#include "text/AddedVocabulary.h"
#include "text/Decoder.h"
#include "text/Normalizer.h"
#include "text/PostProcessor.h"
#include "text/PreTokenizer.h"
#include "text/TokenModel.h"

#include <QJsonValue>

#include <memory>

namespace ts {

/// The pipeline stages a Tokenizer is built from, as the sections of a tokenizer.json.
struct TokenizerParts
{
    Normalizer normalizer;
    PreTokenizer preTokenizer;
    std::shared_ptr<const TokenModel> model;
    AddedVocabulary addedTokens;
    PostProcessor postProcessor;
    Decoder decoder;
    QJsonValue truncation{QJsonValue::Null}; // kept for toJson(); EncodeOptions decide truncation
    QJsonValue padding{QJsonValue::Null};    // kept for toJson(); its pad_id is Tokenizer::padId()
};

} // namespace ts

#pragma once

#include "text/Encoding.h"
#include "util/Result.h"

#include <QJsonValue>

#include <vector>

namespace ts {

/// The `post_processor` section of a tokenizer.json: BertProcessing, RobertaProcessing,
/// TemplateProcessing, ByteLevel (offset trimming) or a Sequence of those. Adds the special
/// tokens and segment ids around one text or a pair. Immutable, thread-safe.
class PostProcessor
{
public:
    /// No post-processing: a pair is concatenated.
    PostProcessor() = default;

    /// BERT's template: [CLS] A [SEP] and [CLS] A [SEP] B:1 [SEP]:1.
    static PostProcessor bertTemplate(int clsId, const QString &cls, int sepId, const QString &sep);
    /// GPT-2's ByteLevel processor (offsets trimmed of the leading "Ġ" when `trimOffsets`).
    static PostProcessor byteLevel(bool trimOffsets);

    /// Parses a tokenizer.json `post_processor` value; `field` names it in error messages.
    static Result<PostProcessor> fromJson(const QJsonValue &json, const QString &field);
    /// The tokenizer.json form.
    QJsonValue toJson() const;

    /// How many special tokens process() adds to one text (`pair` false) or a pair.
    int addedTokens(bool pair) const;
    /// Every id of a special token this processor inserts (to check them against the vocabulary).
    std::vector<int> specialIds() const;
    /// Adds special tokens (when `addSpecialTokens`) around `first` and the optional `second`
    /// and returns them as one encoding.
    Encoding process(Encoding first, const Encoding *second, bool addSpecialTokens) const;

private:
    enum class Kind { Bert, Roberta, Template, ByteLevel };
    struct Special
    {
        QString name;        // template id ("[CLS]")
        QList<int> ids;
        QStringList tokens;
    };
    struct Piece
    {
        bool isSequence = false; // $A / $B, else a special token
        int sequence = 0;        // 0: A, 1: B
        QString special;         // name of the special token
        int typeId = 0;
    };
    struct Step
    {
        Kind kind = Kind::ByteLevel;
        Special cls;             // Bert, Roberta
        Special sep;             // Bert, Roberta
        bool trimOffsets = false;    // Roberta, ByteLevel
        bool addPrefixSpace = false; // Roberta, ByteLevel: kept for the file and offset trimming
        bool useRegex = true;        // ByteLevel: kept for the file
        std::vector<Piece> single;   // Template
        std::vector<Piece> pair;     // Template
        std::vector<Special> specials; // Template
    };

    static Result<Step> parseStep(const QJsonObject &object, const QString &field);
    static Result<Step> parseTemplate(const QJsonObject &object, const QString &field);
    static QJsonObject stepToJson(const Step &step);
    static void trimOffsets(Encoding &encoding, bool addPrefixSpace);
    static void append(Encoding &to, const Encoding &from, int typeId);
    static void appendSpecial(Encoding &to, const Special &special, int typeId);
    static const Special *findSpecial(const Step &step, const QString &name);
    static Encoding applyTemplate(const Step &step, const std::vector<Encoding> &encodings);

    std::vector<Step> m_steps;
};

} // namespace ts

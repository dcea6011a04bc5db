#pragma once

#include "corpus/CorpusProfile.h"
#include "corpus/SubwordFragmentation.h"

#include <QStringList>

namespace ts {

/// How far a target corpus is from a source corpus; plain values, safe to pass between threads.
/// Word-level measures use WordTokenizer; sub-word fragmentation uses the model tokenizer given
/// in DomainShiftParams, when there is one.
struct DomainShiftReport
{
    CorpusProfile source;
    CorpusProfile target;

    qint64 sharedVocabulary = 0;        ///< words in both vocabularies
    double vocabularyJaccard = 0.0;     ///< shared / words in either
    double targetVocabularyCovered = 0.0; ///< shared / target vocabulary
    double targetOovRate = 0.0;         ///< target word occurrences absent from the source vocabulary
    double jensenShannon = 0.0;         ///< JS divergence of the unigram distributions, base 2, in [0, 1]

    qint64 classifierDocuments = 0;     ///< documents per domain the domain classifier saw
    int folds = 0;                      ///< cross-validation folds
    double domainClassifierError = 0.0; ///< cross-validated error e of source-vs-target logistic regression
    double proxyADistance = 0.0;        ///< 2 (1 - 2e), clamped to [0, 2]; 0 = indistinguishable

    QString tokenizer;                  ///< model whose tokenizer measured fragmentation; empty: not measured
    SubwordFragmentation sourceFragmentation;
    SubwordFragmentation targetFragmentation;

    QStringList warnings;               ///< e.g. target labels the source does not have
};

} // namespace ts

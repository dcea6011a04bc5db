#pragma once
// The tiny model fixtures under tests/data/models, one per architecture family, as Qt Test data.

#include "model/ModelFamily.h"

#include <QTest>

namespace ts::test {

/// Adds the columns "folder" (QString, under tests/data/models) and "family" (int, ModelFamily) and
/// a row for each family's fixture: bert, roberta, distilbert, gpt2, llama and qwen2.
inline void addFamilyFixtureRows()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<int>("family");
    QTest::newRow("bert") << "bert" << int(ModelFamily::Bert);
    QTest::newRow("roberta") << "roberta" << int(ModelFamily::Roberta);
    QTest::newRow("distilbert") << "distilbert" << int(ModelFamily::DistilBert);
    QTest::newRow("gpt2") << "gpt2" << int(ModelFamily::Gpt2);
    QTest::newRow("llama") << "llama" << int(ModelFamily::Llama);
    QTest::newRow("qwen2") << "qwen2" << int(ModelFamily::Llama);
}

} // namespace ts::test

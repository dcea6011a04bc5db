// Padding of the trainer's length-bucketed batches (LengthBucketSampler) on real corpora: every
// *.task.train file of a folder (FDU-MTL's layout: "label<TAB>text" per line) tokenized with a
// tokenizer.json and cut to --max-length tokens, batched as the Trainer batches a run's training
// set, for --epochs epochs. Prints each file's share of padding tokens and the share over all of
// them (padded tokens / tokens computed).
//
//   bench_padding --data ../shared/data/fdu-mtl --tokenizer MODEL/tokenizer.json [--batch 16]
//                 [--max-length 128] [--epochs 3]
#include "text/Tokenizer.h"
#include "train/LengthBucketSampler.h"
#include "train/TokenizedSet.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cstdio>

using namespace ts;

namespace {

QString textArgument(const QStringList &args, const QString &name, const QString &fallback)
{
    const qsizetype at = args.indexOf(name);
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

/// The texts of a "label<TAB>text" file (labels are not needed here).
QList<LabelledText> readTexts(const QString &path)
{
    QList<LabelledText> texts;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return texts;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const qsizetype tab = line.indexOf('\t');
        if (tab >= 0)
            texts.append(LabelledText{QString::fromUtf8(line.mid(tab + 1)), 0, 0});
    }
    return texts;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString data = textArgument(args, QStringLiteral("--data"), QString());
    const auto tokenizer = Tokenizer::fromFile(textArgument(args, QStringLiteral("--tokenizer"), QString()));
    if (data.isEmpty() || !tokenizer) {
        std::fprintf(stderr, "error: %s\nusage: bench_padding --data DIR --tokenizer tokenizer.json [--batch 16] "
                             "[--max-length 128] [--epochs 3]\n",
                     tokenizer ? "--data is missing" : qPrintable(tokenizer.error()));
        return 2;
    }
    const int batch = textArgument(args, QStringLiteral("--batch"), QStringLiteral("16")).toInt();
    const int maxLength = textArgument(args, QStringLiteral("--max-length"), QStringLiteral("128")).toInt();
    const int epochs = textArgument(args, QStringLiteral("--epochs"), QStringLiteral("3")).toInt();
    const QStringList files = QDir(data).entryList({QStringLiteral("*.task.train")}, QDir::Files, QDir::Name);
    double tokens = 0.0;
    double padding = 0.0;
    for (const QString &name : files) {
        const TokenizedSet set = TokenizedSet::build(name, tokenizer.value(), readTexts(QDir(data).filePath(name)),
                                                     maxLength, 0);
        const QList<int> lengths = set.lengths();
        const LengthBucketSampler sampler(lengths, batch, 17);
        double share = 0.0;
        for (int e = 0; e < epochs; ++e)
            share += LengthBucketSampler::paddingShare(sampler.epoch(e), lengths) / double(epochs);
        double real = 0.0;
        for (int length : lengths)
            real += length;
        // Tokens computed = real / (1 - share): padding adds share / (1 - share) of the real tokens.
        tokens += real / (1.0 - share);
        padding += real / (1.0 - share) - real;
        std::printf("%-36s %5d texts  padding %5.2f%%\n", qPrintable(name), set.size(), 100.0 * share);
    }
    std::printf("all %lld files: batch %d, max length %d, %d epochs: padding %.2f%% of the tokens computed\n",
                (long long)files.size(), batch, maxLength, epochs, tokens > 0 ? 100.0 * padding / tokens : 0.0);
    return 0;
}

// Tokenizer throughput: encodes the lines of text files one by one on one thread and prints
// MB/s of UTF-8 input. Compare with bench_tokenizer_hf.py (Hugging Face `tokenizers`, one thread)
// through run_tokenizer_bench.sh, which passes both the same tokenizer and text.
//
// Usage: bench_tokenizer TOKENIZER_JSON MAX_MEGABYTES FILE...
#include "text/Tokenizer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <cstdio>

using namespace ts;

namespace {

constexpr int kWarmupLines = 2000; // encoded before timing (fills the BPE cache as HF's warms)

QStringList readLines(const QStringList &files, qint64 maxBytes, qint64 &bytes)
{
    QStringList lines;
    bytes = 0;
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        while (!file.atEnd() && bytes < maxBytes) {
            const QByteArray line = file.readLine();
            bytes += line.size();
            lines.append(QString::fromUtf8(line));
        }
    }
    return lines;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fprintf(stderr, "usage: bench_tokenizer TOKENIZER_JSON MAX_MEGABYTES FILE...\n");
        return 2;
    }
    auto tokenizer = Tokenizer::fromFile(args[1]);
    if (!tokenizer) {
        std::fprintf(stderr, "%s\n", qPrintable(tokenizer.error()));
        return 1;
    }
    qint64 bytes = 0;
    const QStringList lines = readLines(args.mid(3), qint64(args[2].toDouble() * 1024 * 1024), bytes);
    for (int i = 0; i < std::min(kWarmupLines, int(lines.size())); ++i)
        tokenizer->encode(lines[i]);
    QElapsedTimer timer;
    timer.start();
    qint64 tokens = 0;
    for (const QString &line : lines)
        tokens += tokenizer->encode(line).size();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    std::printf("ts %.3f MB/s (%lld lines, %.2f MB, %lld tokens, %.3f s)\n", double(bytes) / 1e6 / seconds,
                qlonglong(lines.size()), double(bytes) / 1e6, qlonglong(tokens), seconds);
    return 0;
}

// Import throughput and memory: generates a 500 MB labelled CSV in a temporary folder, imports
// it into a fresh project, and prints MB/s and peak RSS against a reference measured in the same
// run (reading the file and decoding it from UTF-8, the least any importer must do).
// Targets: >= 100 MB/s, < 300 MB peak RSS. Run: bench_import [megabytes]
// On a machine shared with other jobs wall time overstates the import's cost; the CPU time it
// prints (user + system, all threads) and the MB/s per CPU-second do not depend on the load.
#include "corpus/CorpusImporter.h"
#include "project/Project.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <sys/resource.h>

#include <cstdio>

using namespace ts;

namespace {

// Size of the generated file unless given on the command line, in MB (10^6 bytes).
constexpr qint64 kDefaultMegabytes = 500;
constexpr double kMB = 1e6;
// Words per generated document: about 700 bytes, the size of a typical review.
constexpr int kWordsPerDocument = 120;

// Peak resident set size of this process in MiB (VmHWM of /proc/self/status).
double peakRssMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

// CPU seconds used so far, user and system: by all threads of this process (RUSAGE_SELF) or
// by the calling one (RUSAGE_THREAD).
double cpuSeconds(int who)
{
    rusage usage{};
    getrusage(who, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A CSV of distinct quoted documents (some with commas, quotes and line breaks) and labels.
bool generate(const QString &path, qint64 bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    static const char *const kWords[] = {"the", "battery", "lasts", "for", "ages", "but", "screen", "is", "dim,",
                                         "\"great\"", "value", "caf\xC3\xA9", "would", "buy", "again", "never",
                                         "arrived", "broken", "seat", "crew"};
    quint32 state = 12345;
    QByteArray chunk = "text,label\n";
    for (qint64 row = 0; file.size() + chunk.size() < bytes; ++row) {
        chunk += "\"doc " + QByteArray::number(row);
        for (int w = 0; w < kWordsPerDocument; ++w) {
            state = state * 1664525u + 1013904223u; // LCG (Numerical Recipes)
            const char *word = kWords[(state >> 8) % std::size(kWords)];
            chunk += w % 40 == 39 ? "\n" : " ";
            chunk += QByteArray(word).replace("\"", "\"\"");
        }
        chunk += "\"," + QByteArray::number(row % 3) + "\n";
        if (chunk.size() > (1 << 20)) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
    return true;
}

// The reference: read the file in 1 MiB chunks and decode it from UTF-8.
double referenceSeconds(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    qint64 characters = 0;
    while (!file.atEnd())
        characters += QString::fromUtf8(file.read(1 << 20)).size();
    std::printf("reference: decoded %lld characters\n", characters);
    return double(timer.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const qint64 megabytes = argc > 1 ? QByteArray(argv[1]).toLongLong() : kDefaultMegabytes;
    QTemporaryDir dir;
    const QString csv = dir.filePath(QStringLiteral("bench.csv"));
    if (!generate(csv, megabytes * qint64(kMB)))
        return 1;
    const double size = double(QFileInfo(csv).size());
    std::printf("generated %.0f MB CSV; peak RSS so far %.1f MiB\n", size / kMB, peakRssMiB());

    const double reference = referenceSeconds(csv);
    auto project = Project::create(dir.filePath(QStringLiteral("bench.tstudio")));
    if (!project) {
        std::fprintf(stderr, "error: %s\n", qUtf8Printable(project.error()));
        return 1;
    }
    ImportParams params = importDefaultParams();
    params.corpus = QStringLiteral("bench");
    params.path = csv;
    QElapsedTimer timer;
    timer.start();
    const double cpuBefore = cpuSeconds(RUSAGE_SELF);
    const double mainCpuBefore = cpuSeconds(RUSAGE_THREAD);
    const Result<ImportReport> report = CorpusImporter::run(*project.value(), params);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds(RUSAGE_SELF) - cpuBefore;
    const double mainCpu = cpuSeconds(RUSAGE_THREAD) - mainCpuBefore;
    if (!report) {
        std::fprintf(stderr, "error: %s\n", qUtf8Printable(report.error()));
        return 1;
    }
    std::printf("reference (read + UTF-8 decode): %8.1f MB/s\n", size / kMB / reference);
    std::printf("import (%lld documents, stratified split): %8.1f MB/s  (%.1f s; %.2fx the reference time)\n",
                report->documents, size / kMB / seconds, seconds, seconds / reference);
    std::printf("import CPU time: %.1f s (%.1f MB per CPU-second): %.2f s writing (this thread), %.2f s reading "
                "(the others)\n", cpu, size / kMB / cpu, mainCpu, cpu - mainCpu);
    std::printf("peak RSS: %.1f MiB (target < 300 MiB); throughput target >= 100 MB/s\n", peakRssMiB());
    return 0;
}

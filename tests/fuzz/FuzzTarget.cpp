// libFuzzer's side of one fuzz target: fuzz_<name> is this file built with TS_FUZZ_TARGET="<name>",
// feeding each input to the entry point of that name (FuzzEntryPoints.h).

#include "FuzzEntryPoints.h"

#include <QCoreApplication>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

const ts::fuzz::FuzzEntryPoint *g_entry = nullptr;

// The parsers' warnings would drown libFuzzer's own output; only fatal messages get through.
void fatalMessagesOnly(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtFatalMsg)
        std::fprintf(stderr, "qFatal: %s\n", qPrintable(message));
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // The SQLite driver (project target) is a plugin found through the application object.
    static QCoreApplication application(*argc, *argv);
    qInstallMessageHandler(fatalMessagesOnly);
    g_entry = ts::fuzz::findEntryPoint(QStringLiteral(TS_FUZZ_TARGET));
    if (!g_entry) {
        std::fprintf(stderr, "no fuzz entry point called %s\n", TS_FUZZ_TARGET);
        std::abort();
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // No copy: reads past the input's end are ASan errors, as in a file mapped by the parser.
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const ts::fuzz::FuzzOutcome outcome = g_entry->run(input);
    if (outcome.kind == ts::fuzz::FuzzOutcome::Kind::Broken) {
        std::fprintf(stderr, "fuzz_%s: invariant broken: %s\n", TS_FUZZ_TARGET, qPrintable(outcome.message));
        std::abort();
    }
    return 0;
}

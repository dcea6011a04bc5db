// The out-of-the-box experiment: `transfer-studio-cli demo [PROJECT]`.
#include "DemoCommand.h"

#include "CliCommand.h"
#include "CliOutput.h"
#include "RunProgress.h"

#include "jobs/DemoExperiment.h"
#include "train/RunControl.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

#include <cstdio>

namespace ts::cli {

namespace {

// How long the chart export (the GUI binary, offscreen) may take, in milliseconds.
constexpr int kChartExportTimeoutMs = 120000;

/// Renders the demo's charts with the workbench's own chart code (the GUI binary, offscreen).
QString writeCharts(const QString &project, const QString &folder)
{
    const QString gui = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("transfer-studio"));
    if (!QFileInfo(gui).isExecutable())
        return QStringLiteral("charts not written: %1 is not installed").arg(gui);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.start(gui, {QStringLiteral("--export-charts"), folder, project});
    if (!process.waitForFinished(kChartExportTimeoutMs) || process.exitCode() != 0)
        return QStringLiteral("charts not written: %1").arg(QString::fromUtf8(process.readAllStandardError()).trimmed());
    return QStringLiteral("charts: %1").arg(QString::fromUtf8(process.readAllStandardOutput()).trimmed());
}

} // namespace

int runDemo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run a complete transfer experiment offline on the embedded sample corpora: pre-train a built-in "
        "model from scratch, then compare zero-shot, source-only, dapt and dann from books to electronics, each "
        "with three seeds, on every text of the test splits, beside the majority-class baseline."));
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("New project file (default transfer-studio-demo.tstudio)."),
                                 QStringLiteral("[PROJECT]"));
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("Tiny settings and one seed: a smoke test in seconds."));
    const QCommandLineOption seeds(QStringLiteral("seeds"),
                                   QStringLiteral("Runs per strategy, each with its own seeds (default 3; 1 with --quick)."),
                                   QStringLiteral("N"));
    parser.addOptions({quick, seeds});
    if (const int code = parseOrExit(parser, arguments, 0, 1); code >= 0)
        return code;
    DemoParams params;
    params.projectPath = parser.positionalArguments().isEmpty() ? QStringLiteral("transfer-studio-demo.tstudio")
                                                                : parser.positionalArguments().first();
    params.projectPath = QFileInfo(params.projectPath).absoluteFilePath();
    params.quick = parser.isSet(quick);
    params.seeds = params.quick ? 1 : 3;
    if (parser.isSet(seeds)) {
        bool ok = false;
        params.seeds = parser.value(seeds).toInt(&ok);
        if (!ok || params.seeds < 1 || params.seeds > 20)
            return usageError(QStringLiteral("--seeds: use a whole number from 1 to 20, not \"%1\"").arg(parser.value(seeds)));
    }
    if (QFileInfo::exists(params.projectPath))
        return fail(QStringLiteral("%1 already exists; give the demo a new file name or delete it").arg(params.projectPath));

    RunControl control;
    QElapsedTimer timer;
    timer.start();
    Result<QList<DemoResult>> results = QList<DemoResult>();
    {
        RunProgress progress(control);
        params.training = progress.callbacks();
        params.training.log = [](const QString &) {};
        params.step = [](const QString &text) { std::fprintf(stderr, "\n== %s\n", qUtf8Printable(text)); };
        results = DemoExperiment::run(params);
    }
    if (!results)
        return fail(results.error());
    printLine(QString());
    printLine(DemoExperiment::table(results.value(), params));
    printLine(QString());
    const QString folder = QFileInfo(params.projectPath).absolutePath() + QStringLiteral("/") +
                           QFileInfo(params.projectPath).completeBaseName() + QStringLiteral("-charts");
    QDir().mkpath(folder);
    printLine(writeCharts(params.projectPath, folder));
    printLine(QStringLiteral("finished in %1 s; project: %2").arg(timer.elapsed() / 1000).arg(params.projectPath));
    printLine(QStringLiteral("open it in the workbench: transfer-studio %1").arg(params.projectPath));
    return kExitOk;
}

} // namespace ts::cli

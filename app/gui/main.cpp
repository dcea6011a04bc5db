// transfer-studio: the desktop workbench. `transfer-studio [PROJECT]`.
#include "charts/RunChartReport.h"
#include "main/MainWindow.h"

#include "Version.h"
#include "util/BlasKernels.h"
#include "util/HeapTuning.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

int main(int argc, char *argv[])
{
    ts::BlasKernels::reexecWithBetterKernels(argv);
    ts::HeapTuning::keepTensorMemory();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TransferStudio"));
    QApplication::setApplicationName(QStringLiteral("Transfer Studio"));
    QApplication::setApplicationVersion(QString::fromLatin1(ts::kVersion));
    QApplication::setDesktopFileName(QStringLiteral("transfer-studio"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cross-domain transfer learning workbench."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("PROJECT"), QStringLiteral("A .tstudio project file to open."),
                                 QStringLiteral("[PROJECT]"));
    const QCommandLineOption exportCharts(QStringLiteral("export-charts"),
                                          QStringLiteral("Write the charts of PROJECT's finished runs as PNG files into "
                                                         "DIR and exit (no window; works offscreen)."),
                                          QStringLiteral("DIR"));
    parser.addOption(exportCharts);
    parser.process(app);

    if (parser.isSet(exportCharts)) {
        if (parser.positionalArguments().isEmpty()) {
            std::fprintf(stderr, "error: --export-charts needs a PROJECT\n");
            return 2;
        }
        const auto files = ts::ui::RunChartReport::write(parser.positionalArguments().constFirst(), {},
                                                         parser.value(exportCharts));
        if (!files) {
            std::fprintf(stderr, "error: %s\n", qUtf8Printable(files.error()));
            return 1;
        }
        std::printf("%lld files in %s\n", static_cast<long long>(files->size()), qUtf8Printable(parser.value(exportCharts)));
        return 0;
    }

    ts::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());
    return app.exec();
}

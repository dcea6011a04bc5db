// transfer-studio: the desktop workbench. `transfer-studio [PROJECT]`.
#include "main/MainWindow.h"

#include "Version.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
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
    parser.process(app);

    ts::ui::MainWindow window;
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openProject(parser.positionalArguments().constFirst());
    return app.exec();
}

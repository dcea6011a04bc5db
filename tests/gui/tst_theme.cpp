// Light and dark themes with real widgets (offscreen): View > Theme switches the whole palette,
// charts follow it (background, axes, legend, curves drawn in the text colour, the shaded
// transfer gap), the choice is remembered, and System follows the platform's palette changes.
#include "charts/MetricChart.h"
#include "corpus/CategoryChart.h"
#include "main/MainWindow.h"
#include "theme/ThemeController.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <qcustomplot.h>

using namespace ts;

namespace {

/// A chart as the run monitor builds its transfer chart: a curve in the text colour and a gap
/// shaded between two coloured curves.
std::unique_ptr<ui::MetricChart> makeChart()
{
    auto chart = std::make_unique<ui::MetricChart>(QStringLiteral("Source vs target"), QStringLiteral("accuracy"));
    chart->addCurve(QStringLiteral("train"), QStringLiteral("training"), QColor());
    chart->addCurve(QStringLiteral("source"), QStringLiteral("source"), QColor(0x1f, 0x77, 0xb4));
    chart->addCurve(QStringLiteral("target"), QStringLiteral("target"), QColor(0xff, 0x7f, 0x0e));
    chart->shadeBetween(QStringLiteral("source"), QStringLiteral("target"), QColor(0xff, 0x7f, 0x0e));
    for (int step = 0; step < 50; ++step) {
        chart->appendPoint(QStringLiteral("train"), step, 0.5 + step / 100.0);
        chart->appendPoint(QStringLiteral("source"), step, 0.9);
        chart->appendPoint(QStringLiteral("target"), step, 0.6);
    }
    chart->resize(500, 300);
    return chart;
}

/// The lightness (0-1) of the chart's drawn background, in the corner outside the axes.
double backgroundLightness(const ui::MetricChart &chart)
{
    const QImage image = chart.plot()->toPixmap(500, 300).toImage();
    return image.pixelColor(2, image.height() - 2).lightnessF();
}

QAction *themeAction(ui::MainWindow &window, const QString &key)
{
    return window.menuBar()->findChild<QAction *>(QStringLiteral("actionTheme") + key);
}

} // namespace

class TestTheme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void darkAndLightRestyleCharts();
    void corpusChartsFollowTheTheme();
    void choiceIsRemembered();
    void systemFollowsPlatformPalette();
    void viewMenuSwitchesTheme();
};

void TestTheme::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("TransferStudioTest"));
    QApplication::setApplicationName(QStringLiteral("tst_theme"));
}

void TestTheme::init()
{
    QSettings().clear();
}

void TestTheme::cleanup()
{
    ui::ThemeController(nullptr).setMode(ui::ThemeController::Mode::System);
    QSettings().clear();
}

void TestTheme::darkAndLightRestyleCharts()
{
    ui::ThemeController theme;
    theme.setMode(ui::ThemeController::Mode::Light);
    auto chart = makeChart();
    QCustomPlot *plot = chart->plot();
    QTRY_VERIFY(plot->legend->hasItemWithPlottable(plot->graph(2))); // listed once their points are drawn
    QVERIFY(!theme.isDark());
    QVERIFY(backgroundLightness(*chart) > 0.9);
    QVERIFY(plot->xAxis->tickLabelColor().lightnessF() < 0.3);
    const QColor lightCurve = plot->graph(0)->pen().color();
    QCOMPARE(lightCurve, QApplication::palette().color(QPalette::Text));
    const int lightAlpha = plot->graph(1)->brush().color().alpha();

    QSignalSpy darkSpy(&theme, &ui::ThemeController::isDarkChanged);
    theme.setMode(ui::ThemeController::Mode::Dark);
    QVERIFY(theme.isDark());
    QCOMPARE(darkSpy.count(), 1);
    QCOMPARE(darkSpy.first().first().toBool(), true);
    QVERIFY2(backgroundLightness(*chart) < 0.2, qPrintable(QString::number(backgroundLightness(*chart))));
    QVERIFY(plot->xAxis->tickLabelColor().lightnessF() > 0.8);
    QVERIFY(plot->yAxis->basePen().color().lightnessF() > 0.8);
    QVERIFY(plot->legend->item(0)->textColor().lightnessF() > 0.8);
    QVERIFY(plot->legend->brush().color().lightnessF() < 0.2);
    QVERIFY(plot->graph(0)->pen().color().lightnessF() > 0.8); // the training curve follows the text colour
    QCOMPARE(plot->graph(1)->pen().color(), QColor(0x1f, 0x77, 0xb4)); // coloured curves keep their colour
    QVERIFY(plot->graph(1)->brush().color().alpha() > lightAlpha); // the gap stays visible on dark

    theme.setMode(ui::ThemeController::Mode::Light);
    QVERIFY(backgroundLightness(*chart) > 0.9);
    QCOMPARE(plot->graph(0)->pen().color(), lightCurve);
    QCOMPARE(plot->graph(1)->brush().color().alpha(), lightAlpha);
}

void TestTheme::corpusChartsFollowTheTheme()
{
    // The corpus view's and Compare Domains' bar charts stayed white in the dark theme.
    ui::ThemeController theme;
    theme.setMode(ui::ThemeController::Mode::Light);
    ui::CategoryChart chart(QStringLiteral("Label distribution"), QStringLiteral("labels"));
    chart.resize(500, 300);
    chart.showMessage(QStringLiteral("Pick two corpora and press Compute"));
    QCustomPlot *plot = chart.plot();
    const auto lightness = [plot] {
        const QImage image = plot->toPixmap(500, 300).toImage();
        return image.pixelColor(2, image.height() - 2).lightnessF();
    };
    QVERIFY(lightness() > 0.9);
    theme.setMode(ui::ThemeController::Mode::Dark);
    QVERIFY2(lightness() < 0.2, qPrintable(QString::number(lightness())));
    QVERIFY(plot->xAxis->basePen().color().lightnessF() > 0.8);
    auto *title = qobject_cast<QCPTextElement *>(plot->plotLayout()->element(0, 0));
    QVERIFY(title);
    QVERIFY(title->textColor().lightnessF() > 0.8);
    auto *message = qobject_cast<QCPItemText *>(plot->item(0));
    QVERIFY(message);
    QVERIFY(message->color().lightnessF() > 0.8);
    theme.setMode(ui::ThemeController::Mode::Light);
    QVERIFY(lightness() > 0.9);
    QVERIFY(message->color().lightnessF() < 0.3);

    // Overlaid bars (the length histogram of two corpora) stay visible on dark.
    CorpusProfile a, b;
    a.name = QStringLiteral("books");
    b.name = QStringLiteral("electronics");
    a.documents = b.documents = 10;
    a.lengths.upperBounds = b.lengths.upperBounds = {8};
    a.lengths.counts = {6, 4};
    b.lengths.counts = {5, 5};
    chart.showLengths({a, b}, ui::CategoryChart::Scale::Share);
    const int lightAlpha = plot->plottable(0)->brush().color().alpha();
    theme.setMode(ui::ThemeController::Mode::Dark);
    QVERIFY(plot->plottable(0)->brush().color().alpha() > lightAlpha);
    theme.setMode(ui::ThemeController::Mode::Light);
    QCOMPARE(plot->plottable(1)->brush().color().alpha(), lightAlpha);
}

void TestTheme::choiceIsRemembered()
{
    {
        ui::ThemeController theme;
        QCOMPARE(theme.mode(), ui::ThemeController::Mode::System);
        theme.setMode(ui::ThemeController::Mode::Dark);
    }
    QCOMPARE(QSettings().value(QLatin1String(ui::ThemeController::kSettingsKey)).toString(), QStringLiteral("dark"));
    QApplication::setPalette(QPalette()); // as a fresh start would find it
    ui::ThemeController restored;
    QCOMPARE(restored.mode(), ui::ThemeController::Mode::Dark);
    QVERIFY(restored.isDark());
    QVERIFY(ui::ThemeController::isDark(QApplication::palette()));
}

void TestTheme::systemFollowsPlatformPalette()
{
    ui::ThemeController theme;
    theme.setMode(ui::ThemeController::Mode::Dark);
    theme.setMode(ui::ThemeController::Mode::System);
    QVERIFY(!theme.isDark()); // the offscreen platform's palette is light
    auto chart = makeChart();
    chart->show(); // Qt passes a platform palette change on to the windows it has created
    QVERIFY(QTest::qWaitForWindowExposed(chart.get()));
    QVERIFY(backgroundLightness(*chart) > 0.9);

    // The desktop switches to a dark scheme: the platform theme hands Qt a dark palette.
    QSignalSpy darkSpy(&theme, &ui::ThemeController::isDarkChanged);
    QApplication::setPalette(ui::ThemeController::darkPalette());
    QCOMPARE(darkSpy.count(), 1);
    QVERIFY(theme.isDark());
    QCOMPARE(theme.mode(), ui::ThemeController::Mode::System);
    QVERIFY(backgroundLightness(*chart) < 0.2);
}

void TestTheme::viewMenuSwitchesTheme()
{
    ui::MainWindow window;
    QAction *system = themeAction(window, QStringLiteral("system"));
    QAction *dark = themeAction(window, QStringLiteral("dark"));
    QVERIFY(system && dark && themeAction(window, QStringLiteral("light")));
    QVERIFY(system->isChecked());
    dark->trigger();
    QCOMPARE(window.theme()->mode(), ui::ThemeController::Mode::Dark);
    QVERIFY(dark->isChecked() && !system->isChecked());
    QVERIFY(ui::ThemeController::isDark(window.palette()));
    QCOMPARE(QSettings().value(QLatin1String(ui::ThemeController::kSettingsKey)).toString(), QStringLiteral("dark"));

    ui::MainWindow reopened;
    QVERIFY(themeAction(reopened, QStringLiteral("dark"))->isChecked());
}

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"

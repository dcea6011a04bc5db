// Live chart drawing at 100 k points per curve: four curves (a run monitor's busiest chart)
// filled to `points` points each in live-sized batches, measured three ways in the same run:
//   metric-chart  MetricChart as the run monitor uses it: addData per batch, adaptive sampling;
//   no-sampling   the same without QCPGraph's adaptive sampling (reference);
//   setData       the whole series handed over again with setData per batch (reference).
// Each batch's append is timed, and every `kReplotEvery`-th batch an immediate redraw (axes fitted
// to the data, as MetricChart does) is timed. The redraws at the end, with every point present,
// are what a user sees while a long run trains. Then a real-time pass feeds MetricChart a batch
// every 10 ms through the event loop and counts the redraws its coalescing makes, with the
// GUI-thread stall measured by a 5 ms probe timer.
// Run: bench_gui_chart [points per curve] [points per batch]
#include "charts/MetricChart.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTimer>
#include <qcustomplot.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

using namespace ts;

namespace {

constexpr int kCurves = 4;
constexpr int kDefaultPoints = 100000;  // per curve
constexpr int kDefaultBatch = 500;      // points per curve per live update (a few seconds of training)
constexpr int kReplotEvery = 5;         // timed redraws: one per this many batches
constexpr int kLiveIntervalMs = 10;     // real-time pass: a batch this often, faster than the coalescing
constexpr int kProbeIntervalMs = 5;     // real-time pass: the stall probe's period
constexpr int kChartWidth = 900;        // pixels, a run monitor's chart on a large window
constexpr int kChartHeight = 420;

enum class Variant { MetricChart, NoSampling, SetData };

const char *variantName(Variant v)
{
    switch (v) {
    case Variant::MetricChart:
        return "metric-chart";
    case Variant::NoSampling:
        return "no-sampling";
    case Variant::SetData:
        return "setData";
    }
    return "";
}

/// A noisy falling curve per series (like a training loss), so that sampling has work to do.
QList<QVector<double>> makeSeries(int points)
{
    QRandomGenerator rng(42);
    QList<QVector<double>> series;
    for (int c = 0; c < kCurves; ++c) {
        QVector<double> values(points);
        for (int i = 0; i < points; ++i)
            values[i] = 2.0 / (1.0 + i / 5000.0) + 0.3 * rng.generateDouble() + 0.1 * c;
        series.append(values);
    }
    return series;
}

struct Timings
{
    QList<double> appendMs;
    QList<double> replotMs;
    QList<double> finalReplotMs; // the redraws in the last tenth of the batches
};

double mean(const QList<double> &v)
{
    return v.isEmpty() ? 0 : std::accumulate(v.cbegin(), v.cend(), 0.0) / double(v.size());
}

double worst(const QList<double> &v)
{
    return v.isEmpty() ? 0 : *std::max_element(v.cbegin(), v.cend());
}

double elapsedMs(const QElapsedTimer &t)
{
    return t.nsecsElapsed() / 1e6;
}

Timings measure(Variant variant, const QList<QVector<double>> &series, int batch)
{
    const int points = int(series.first().size());
    ui::MetricChart chart(QStringLiteral("bench"), QStringLiteral("loss"));
    chart.resize(kChartWidth, kChartHeight);
    const QColor colors[kCurves] = {Qt::darkGray, Qt::blue, QColor(0xff, 0x7f, 0x0e), Qt::darkGreen};
    for (int c = 0; c < kCurves; ++c) {
        chart.addCurve(QString::number(c), QStringLiteral("curve %1").arg(c), colors[c]);
        chart.plot()->graph(c)->setAdaptiveSampling(variant != Variant::NoSampling);
    }
    chart.show();
    QCoreApplication::processEvents();

    Timings t;
    const int batches = (points + batch - 1) / batch;
    for (int b = 0; b < batches; ++b) {
        const int from = b * batch;
        const int to = std::min(points, from + batch);
        QElapsedTimer clock;
        clock.start();
        for (int c = 0; c < kCurves; ++c) {
            if (variant == Variant::SetData) {
                QVector<double> keys(to);
                std::iota(keys.begin(), keys.end(), 1.0);
                chart.plot()->graph(c)->setData(keys, series[c].mid(0, to), true);
            } else {
                QVector<double> keys(to - from);
                std::iota(keys.begin(), keys.end(), double(from + 1));
                chart.appendPoints(QString::number(c), keys, series[c].mid(from, to - from));
            }
        }
        t.appendMs.append(elapsedMs(clock));
        if (b % kReplotEvery == kReplotEvery - 1 || b == batches - 1) {
            // What MetricChart's coalesced redraw does, drawn and shown at once so that it can be timed.
            clock.restart();
            chart.plot()->rescaleAxes(true);
            chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
            const double ms = elapsedMs(clock);
            t.replotMs.append(ms);
            if (b >= batches - batches / 10)
                t.finalReplotMs.append(ms);
        }
    }
    return t;
}

/// The real-time pass: batches every kLiveIntervalMs through the event loop; returns the redraws made.
int liveReplots(const QList<QVector<double>> &series, int batch, double *maxStallMs, double *seconds)
{
    const int points = int(series.first().size());
    ui::MetricChart chart(QStringLiteral("live"), QStringLiteral("loss"));
    chart.resize(kChartWidth, kChartHeight);
    for (int c = 0; c < kCurves; ++c)
        chart.addCurve(QString::number(c), QStringLiteral("curve %1").arg(c), QColor::fromHsv(c * 80, 200, 180));
    chart.show();
    int replots = 0;
    QObject::connect(chart.plot(), &QCustomPlot::afterReplot, [&replots] { ++replots; });

    QElapsedTimer clock;
    clock.start();
    qint64 lastProbe = 0;
    double stall = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        stall = std::max(stall, (now - lastProbe) / 1e6 - kProbeIntervalMs);
        lastProbe = now;
    });
    int from = 0;
    QEventLoop loop;
    QTimer feed;
    feed.setTimerType(Qt::PreciseTimer);
    QObject::connect(&feed, &QTimer::timeout, [&] {
        const int to = std::min(points, from + batch);
        for (int c = 0; c < kCurves; ++c) {
            QVector<double> keys(to - from);
            std::iota(keys.begin(), keys.end(), double(from + 1));
            chart.appendPoints(QString::number(c), keys, series[c].mid(from, to - from));
        }
        from = to;
        if (from >= points) {
            feed.stop();
            // Let the last coalesced redraw happen.
            QTimer::singleShot(3 * ui::MetricChart::kReplotIntervalMs, &loop, &QEventLoop::quit);
        }
    });
    probe.start(kProbeIntervalMs);
    feed.start(kLiveIntervalMs);
    loop.exec();
    probe.stop();
    *maxStallMs = stall;
    *seconds = clock.elapsed() / 1000.0;
    return replots;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each line as soon as measured
    const int points = argc > 1 ? std::max(1000, std::atoi(argv[1])) : kDefaultPoints;
    const int batch = argc > 2 ? std::max(1, std::atoi(argv[2])) : kDefaultBatch;
    const QList<QVector<double>> series = makeSeries(points);
    std::printf("%d curves x %d points, batches of %d points per curve, a timed redraw every %d batches\n", kCurves,
                points, batch, kReplotEvery);
    std::printf("%-13s %12s %12s %12s %12s %14s %14s\n", "", "append mean", "append max", "redraw mean",
                "redraw max", "redraw at end", "end vs chart");

    double reference = 0;
    for (const Variant variant : {Variant::MetricChart, Variant::NoSampling, Variant::SetData}) {
        const Timings t = measure(variant, series, batch);
        const double end = mean(t.finalReplotMs);
        if (variant == Variant::MetricChart)
            reference = end;
        std::printf("%-13s %9.3f ms %9.3f ms %9.2f ms %9.2f ms %11.2f ms %13.1fx\n", variantName(variant),
                    mean(t.appendMs), worst(t.appendMs), mean(t.replotMs), worst(t.replotMs), end,
                    reference > 0 ? end / reference : 0.0);
    }

    double stall = 0;
    double seconds = 0;
    const int batches = (points + batch - 1) / batch;
    const int replots = liveReplots(series, batch, &stall, &seconds);
    std::printf("real time: %d batches in %.2f s (one per %d ms) drawn in %d redraws (at most one per %d ms); "
                "worst GUI-thread stall %.2f ms\n",
                batches, seconds, kLiveIntervalMs, replots, ui::MetricChart::kReplotIntervalMs, stall);
    return 0;
}

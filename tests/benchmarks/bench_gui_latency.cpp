// GUI responsiveness while training: imports the embedded books and electronics sample corpora
// into a fresh project, builds the built-in tiny encoder, starts a real source-only run through
// the RunController (worker thread) with a RunMonitor fed live, and measures how late a 5 ms
// QTimer on the GUI thread fires (its lateness is the event loop's stall). Prints max and p99
// lateness while training against the same probe on the idle GUI measured first in the same run.
// Target: worst stall under 50 ms. Run: bench_gui_latency [training examples]
#include "charts/MetricChart.h"
#include "corpus/SampleCorpora.h"
#include "model/BuiltinModels.h"
#include "project/Project.h"
#include "runs/RunController.h"
#include "runs/RunMonitor.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace ts;

namespace {

constexpr int kProbeIntervalMs = 5;       // the probe timer's period
constexpr int kIdleProbeMs = 2000;        // reference: the probe on the idle event loop
constexpr double kStallTargetMs = 50.0;   // the event loop must never stall longer
constexpr int kDefaultTrainExamples = 512; // training examples of the measured run

/// Lateness of a periodic timer on the GUI thread, in milliseconds per tick.
class LatencyProbe
{
public:
    void start()
    {
        m_late.clear();
        m_clock.start();
        m_last = 0;
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kProbeIntervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_late.append(std::max(0.0, (now - m_last) / 1e6 - kProbeIntervalMs));
            m_last = now;
        });
        m_timer.start();
    }
    void stop()
    {
        m_timer.stop();
        m_timer.disconnect();
    }
    double maximum() const { return m_late.isEmpty() ? 0 : *std::max_element(m_late.cbegin(), m_late.cend()); }
    double percentile(double p) const
    {
        if (m_late.isEmpty())
            return 0;
        QList<double> sorted = m_late;
        std::sort(sorted.begin(), sorted.end());
        return sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size()))));
    }
    qsizetype ticks() const { return m_late.size(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    QList<double> m_late;
};

/// The measured run: source-only from books to electronics, small enough for a laptop's CPU.
ui::ExperimentPlan plan(int trainExamples)
{
    ui::ExperimentPlan p;
    p.request.sourceCorpus = QStringLiteral("books");
    p.request.targetCorpus = QStringLiteral("electronics");
    p.request.model = QStringLiteral("tiny");
    TrainingConfig &c = p.request.config;
    c.strategy = QStringLiteral("source-only");
    c.epochs = 2;
    c.batchSize = 16;
    c.maxLength = 64;
    c.learningRate = 1e-3;
    c.maxTrainExamples = trainExamples;
    c.maxEvalExamples = 128;
    c.evalEvery = 8;
    c.device = QStringLiteral("cpu");
    return p;
}

Status prepare(Project &project)
{
    for (const QString &domain : {QStringLiteral("books"), QStringLiteral("electronics")}) {
        if (const Status s = SampleCorpora::importDomain(project, domain); !s)
            return s;
    }
    return Status::from(BuiltinModels::addToProject(project.database(), QStringLiteral("tiny-encoder"),
                                                    QStringLiteral("tiny"), {QStringLiteral("books")}, {}));
}

void report(const char *phase, const LatencyProbe &probe)
{
    std::printf("%-9s ticks %6lld   lateness max %7.2f ms   p99 %6.2f ms   p50 %5.2f ms\n", phase,
                static_cast<long long>(probe.ticks()), probe.maximum(), probe.percentile(0.99), probe.percentile(0.5));
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int trainExamples = argc > 1 ? std::max(16, std::atoi(argv[1])) : kDefaultTrainExamples;
    QTemporaryDir dir;
    auto project = Project::create(dir.filePath(QStringLiteral("bench.tstudio")));
    if (!project || !prepare(*project.value())) {
        std::fprintf(stderr, "cannot prepare the project: %s\n", qPrintable(project ? QString() : project.error()));
        return 1;
    }
    ui::RunController controller;
    controller.openProject(project.value().get());
    ui::RunMonitor monitor;
    monitor.resize(1200, 800);
    monitor.show();

    LatencyProbe probe;
    QEventLoop loop;
    probe.start();
    QTimer::singleShot(kIdleProbeMs, &loop, &QEventLoop::quit);
    loop.exec();
    probe.stop();
    report("idle", probe);

    const auto ids = controller.start(plan(trainExamples));
    if (!ids || !controller.attach(&monitor, ids->first())) {
        std::fprintf(stderr, "cannot start the run: %s\n", qPrintable(ids ? QString() : ids.error()));
        return 1;
    }
    QElapsedTimer wall;
    wall.start();
    QObject::connect(&controller, &ui::RunController::runFinished, &loop, &QEventLoop::quit);
    probe.start();
    loop.exec();
    probe.stop();
    report("training", probe);
    std::printf("run %lld: %d training examples, %.1f s; %d loss points drawn\n", static_cast<long long>(ids->first()),
                trainExamples, wall.elapsed() / 1000.0, monitor.lossChart()->pointCount(QStringLiteral("train")));
    std::printf("worst stall %.2f ms: %s %.0f ms\n", probe.maximum(),
                probe.maximum() < kStallTargetMs ? "under" : "NOT under", kStallTargetMs);
    return probe.maximum() < kStallTargetMs ? 0 : 2;
}

#include "main/WelcomePage.h"

#include "main/Plural.h"

#include "project/ProjectSpace.h"
#include "project/ProjectSummary.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts::ui {

WelcomePage::WelcomePage(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_body = new QLabel(this);
    m_body->setWordWrap(true);
    m_body->setTextFormat(Qt::RichText);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_space = new QLabel(this);
    m_space->setObjectName(QStringLiteral("projectSpace"));
    m_space->setWordWrap(true);
    m_space->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_space->hide();

    m_newButton = new QPushButton(tr("New Project…"), this);
    m_openButton = new QPushButton(tr("Open Project…"), this);
    connect(m_newButton, &QPushButton::clicked, this, &WelcomePage::newProjectRequested);
    connect(m_openButton, &QPushButton::clicked, this, &WelcomePage::openProjectRequested);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newButton);
    buttons->addWidget(m_openButton);
    buttons->addStretch();

    m_next = new QLabel(this);
    m_next->setObjectName(QStringLiteral("nextStep"));
    m_next->setWordWrap(true);
    m_actions = new QWidget(this);
    m_actionsLayout = new QHBoxLayout(m_actions);
    m_actionsLayout->setContentsMargins(0, 0, 0, 0);
    m_actionsLayout->addStretch();

    m_recentTitle = new QLabel(tr("Recent projects"), this);
    m_recent = new QListWidget(this);
    m_recent->setObjectName(QStringLiteral("recentProjects"));
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        Q_EMIT recentProjectRequested(item->data(Qt::UserRole).toString());
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(32, 24, 32, 24);
    layout->addWidget(m_title);
    layout->addWidget(m_body);
    layout->addWidget(m_space);
    layout->addLayout(buttons);
    layout->addWidget(m_next);
    layout->addWidget(m_actions);
    layout->addSpacing(12);
    layout->addWidget(m_recentTitle);
    layout->addWidget(m_recent, 1);
    layout->addStretch();
}

void WelcomePage::showStart(const QStringList &recentProjects)
{
    m_space->hide();
    m_title->setText(tr("Transfer Studio"));
    m_body->setText(tr("<p>Train a language model on a labelled <b>source</b> domain and measure how well it "
                       "transfers to your <b>target</b> domain.</p>"
                       "<p>Start by creating a project file; it will hold your corpora, base models, runs "
                       "and their metrics.</p>"));
    m_newButton->show();
    m_openButton->show();
    m_next->hide();
    m_actions->hide();
    m_recent->clear();
    for (const QString &path : recentProjects) {
        auto *item = new QListWidgetItem(QDir::toNativeSeparators(path), m_recent);
        item->setData(Qt::UserRole, path);
    }
    m_recentTitle->setVisible(!recentProjects.isEmpty());
    m_recent->setVisible(!recentProjects.isEmpty());
}

void WelcomePage::showSummary(const ProjectSummary &summary)
{
    const QLocale locale;
    m_title->setText(QFileInfo(summary.path).completeBaseName());
    m_body->setText(tr("<table cellspacing='6'>"
                       "<tr><td>File</td><td>%1</td></tr>"
                       "<tr><td>Project format</td><td>%2</td></tr>"
                       "<tr><td>Corpora</td><td>%3 (%4)</td></tr>"
                       "<tr><td>Base models</td><td>%5</td></tr>"
                       "<tr><td>Runs</td><td>%6 (%7)</td></tr>"
                       "</table>")
                        .arg(QDir::toNativeSeparators(summary.path).toHtmlEscaped())
                        .arg(summary.schemaVersion)
                        .arg(locale.toString(summary.corpora),
                             plural(summary.documents, tr("1 document"), tr("%1 documents")),
                             locale.toString(summary.models), locale.toString(summary.runs),
                             plural(summary.metrics, tr("1 metric value"), tr("%1 metric values"))));
    if (summary.corpora < 2)
        m_next->setText(tr("Next: import a labelled source corpus and a target corpus (Corpora > Import)."));
    else if (summary.models == 0)
        m_next->setText(tr("Next: add a base model to train (Models > Add Model)."));
    else if (summary.runs == 0)
        m_next->setText(tr("Next: start an experiment (Runs > New Experiment)."));
    else
        m_next->setText(tr("Double-click a run in the project panel (or press Ctrl+E, type its name and Return) "
                           "to watch its charts, or compare runs "
                           "(Runs > Compare Runs)."));
    m_next->show();
    m_actions->setVisible(m_actionsLayout->count() > 1);
    m_newButton->hide();
    m_openButton->hide();
    m_recentTitle->hide();
    m_recent->hide();
}

void WelcomePage::showSpace(const ProjectSpace &space)
{
    const QLocale locale;
    const auto size = [&locale](qint64 bytes) { return locale.formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat); };
    QString text = tr("Space: %1 on disk. Corpora %2 · models %3 · run weights %4 · checkpoints %5 · metrics %6 · "
                      "predictions %7 · other %8. Compacting would free %9 (File > Compact Project…).")
                       .arg(size(space.fileBytes), size(space.corpora), size(space.models), size(space.runWeights),
                            size(space.checkpoints), size(space.metrics), size(space.predictions), size(space.other),
                            size(space.freeBytes));
    if (!space.exact)
        text += tr(" Sizes by kind are sums of stored values: this SQLite cannot count pages.");
    m_space->setText(text);
    m_space->show();
}

void WelcomePage::setProjectActions(const QList<QAction *> &actions)
{
    for (QAction *action : actions) {
        auto *button = new QToolButton(m_actions);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_actionsLayout->insertWidget(m_actionsLayout->count() - 1, button);
    }
}

QString WelcomePage::nextStep() const
{
    return m_next->isHidden() ? QString() : m_next->text();
}

} // namespace ts::ui

#include "runs/ClusterField.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRadioButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ts::ui {

namespace {

QSpinBox *spinBox(int minimum, int maximum, const QString &special, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(minimum, maximum);
    box->setSpecialValueText(special);
    return box;
}

} // namespace

ClusterField::ClusterField(QWidget *parent) : QGroupBox(tr("Run on"), parent)
{
    m_local = new QRadioButton(tr("This computer"), this);
    m_cluster = new QRadioButton(tr("Slurm cluster"), this);
    m_local->setChecked(true);
    m_cluster->setToolTip(tr("Write a job folder with a project holding only what the runs need, submit it with "
                             "sbatch, and show the job in the project panel; Collect brings its runs home"));
    m_settings = new QWidget(this);
    m_partition = new QLineEdit(m_settings);
    m_partition->setPlaceholderText(tr("the cluster's default"));
    m_account = new QLineEdit(m_settings);
    m_account->setPlaceholderText(tr("the cluster's default"));
    m_nodes = spinBox(1, 100000, QString(), m_settings);
    m_gpus = spinBox(0, 1024, tr("none"), m_settings);
    m_ranks = spinBox(0, 1024, tr("one per GPU"), m_settings);
    m_cpus = spinBox(0, 100000, tr("the cluster's default"), m_settings);
    m_time = new QLineEdit(m_settings);
    m_time->setPlaceholderText(tr("HH:MM:SS (the partition's limit)"));
    m_jobDir = new QLineEdit(m_settings);
    m_jobDir->setPlaceholderText(tr("next to the project (the cluster must see it)"));
    auto *form = new QFormLayout(m_settings);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Partition:"), m_partition);
    form->addRow(tr("Account:"), m_account);
    form->addRow(tr("Nodes:"), m_nodes);
    form->addRow(tr("GPUs per node:"), m_gpus);
    form->addRow(tr("Ranks per node:"), m_ranks);
    form->addRow(tr("CPUs per rank:"), m_cpus);
    form->addRow(tr("Time limit:"), m_time);
    form->addRow(tr("Job folder:"), m_jobDir);
    auto *choice = new QHBoxLayout;
    choice->addWidget(m_local);
    choice->addWidget(m_cluster);
    choice->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(choice);
    layout->addWidget(m_settings);
    connect(m_cluster, &QRadioButton::toggled, this, &ClusterField::updateEnabled);
    updateEnabled();
}

void ClusterField::updateEnabled()
{
    m_settings->setVisible(m_cluster->isChecked());
}

bool ClusterField::onCluster() const
{
    return m_cluster->isChecked();
}

SbatchOptions ClusterField::options() const
{
    SbatchOptions options;
    options.partition = m_partition->text().trimmed();
    options.account = m_account->text().trimmed();
    options.nodes = m_nodes->value();
    options.gpusPerNode = m_gpus->value();
    options.ranksPerNode = m_ranks->value();
    options.cpusPerTask = m_cpus->value();
    options.time = m_time->text().trimmed();
    return options;
}

QString ClusterField::jobDir() const
{
    return m_jobDir->text().trimmed();
}

void ClusterField::restoreSettings()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("cluster"));
    m_cluster->setChecked(settings.value(QStringLiteral("slurm"), false).toBool());
    m_local->setChecked(!m_cluster->isChecked());
    m_partition->setText(settings.value(QStringLiteral("partition")).toString());
    m_account->setText(settings.value(QStringLiteral("account")).toString());
    m_nodes->setValue(settings.value(QStringLiteral("nodes"), 1).toInt());
    m_gpus->setValue(settings.value(QStringLiteral("gpus_per_node"), 0).toInt());
    m_ranks->setValue(settings.value(QStringLiteral("ranks_per_node"), 0).toInt());
    m_cpus->setValue(settings.value(QStringLiteral("cpus_per_task"), 0).toInt());
    m_time->setText(settings.value(QStringLiteral("time")).toString());
    m_jobDir->setText(settings.value(QStringLiteral("job_dir")).toString());
}

void ClusterField::saveSettings() const
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("cluster"));
    const SbatchOptions o = options();
    settings.setValue(QStringLiteral("slurm"), onCluster());
    settings.setValue(QStringLiteral("partition"), o.partition);
    settings.setValue(QStringLiteral("account"), o.account);
    settings.setValue(QStringLiteral("nodes"), o.nodes);
    settings.setValue(QStringLiteral("gpus_per_node"), o.gpusPerNode);
    settings.setValue(QStringLiteral("ranks_per_node"), o.ranksPerNode);
    settings.setValue(QStringLiteral("cpus_per_task"), o.cpusPerTask);
    settings.setValue(QStringLiteral("time"), o.time);
    settings.setValue(QStringLiteral("job_dir"), jobDir());
}

} // namespace ts::ui

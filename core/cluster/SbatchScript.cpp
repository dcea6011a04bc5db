#include "cluster/SbatchScript.h"

#include <QRegularExpression>
#include <QStringList>

namespace ts {

namespace {

// TS_DIST_MASTER_PORT = kPortBase + job id mod kPortSpan: above the well-known and registered
// ports most services use, below Linux's ephemeral range (32768-60999).
constexpr int kPortBase = 20000;
constexpr int kPortSpan = 12000;

} // namespace

QString SbatchScript::cellDir(const QString &jobDir, int task)
{
    return QStringLiteral("%1/cell-%2").arg(jobDir).arg(task);
}

int SbatchScript::ranksPerNode(const SbatchOptions &options)
{
    if (options.ranksPerNode > 0)
        return options.ranksPerNode;
    return qMax(1, options.gpusPerNode);
}

int SbatchScript::ranks(const SbatchOptions &options)
{
    return options.nodes * ranksPerNode(options);
}

bool SbatchScript::isTimeLimit(const QString &time)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d+-)?(\\d{1,2}:)?\\d{1,2}:\\d{2}$"));
    return pattern.match(time).hasMatch();
}

QString SbatchScript::timeLimitOf(const QString &script)
{
    static const QRegularExpression line(QStringLiteral("^#SBATCH --time=(\\S+)\\s*$"),
                                         QRegularExpression::MultilineOption);
    return line.match(script).captured(1);
}

Status SbatchScript::check(const SbatchOptions &options, const QString &jobDir)
{
    if (jobDir.contains(QRegularExpression(QStringLiteral("[\\s'\"%\\\\]"))))
        return Status::failure(QStringLiteral("--job-dir '%1': Slurm's #SBATCH lines cannot quote a path; choose one "
                                              "without spaces, quotes, '%' or backslashes").arg(jobDir));
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9_.,-]*$"));
    if (options.nodes < 1)
        return Status::failure(QStringLiteral("--nodes: give 1 or more nodes"));
    if (options.gpusPerNode < 0)
        return Status::failure(QStringLiteral("--gpus-per-node: give 0 or more GPUs"));
    if (options.ranksPerNode < 0)
        return Status::failure(QStringLiteral("--ranks-per-node: give 0 (one per GPU) or more ranks"));
    if (options.cpusPerTask < 0)
        return Status::failure(QStringLiteral("--cpus-per-task: give 0 (the cluster's default) or more CPUs"));
    if (!options.time.isEmpty() && !isTimeLimit(options.time))
        return Status::failure(QStringLiteral("--time '%1': give the time limit as HH:MM:SS (or D-HH:MM:SS)").arg(options.time));
    if (!name.match(options.partition).hasMatch())
        return Status::failure(QStringLiteral("--partition '%1': a partition name has letters, digits, '_', '.', ',' or '-'")
                                   .arg(options.partition));
    if (!name.match(options.account).hasMatch())
        return Status::failure(QStringLiteral("--account '%1': an account name has letters, digits, '_', '.', ',' or '-'")
                                   .arg(options.account));
    return {};
}

QString SbatchScript::quote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString SbatchScript::generate(const SbatchOptions &options, const QString &name, const QString &jobDir, int cells,
                               const QString &cliPath)
{
    const int perNode = ranksPerNode(options);
    QStringList lines{QStringLiteral("#!/bin/bash"),
                      QStringLiteral("# Written by transfer-studio-cli submit --slurm. One task per cell folder (cell-N);"),
                      QStringLiteral("# each run of the cell's runs.txt runs as %1 data-parallel rank(s).").arg(ranks(options)),
                      QStringLiteral("#SBATCH --job-name=%1").arg(name),
                      QStringLiteral("#SBATCH --nodes=%1").arg(options.nodes),
                      QStringLiteral("#SBATCH --ntasks-per-node=%1").arg(perNode)};
    // sbatch reads #SBATCH lines literally: the output path cannot be quoted.
    lines << QStringLiteral("#SBATCH --output=%1/%2").arg(jobDir, cells > 1 ? QStringLiteral("slurm-%A_%a.out")
                                                                            : QStringLiteral("slurm-%j.out"));
    if (cells > 1)
        lines << QStringLiteral("#SBATCH --array=0-%1").arg(cells - 1);
    if (options.gpusPerNode > 0)
        lines << QStringLiteral("#SBATCH --gpus-per-node=%1").arg(options.gpusPerNode);
    if (options.cpusPerTask > 0)
        lines << QStringLiteral("#SBATCH --cpus-per-task=%1").arg(options.cpusPerTask);
    if (!options.time.isEmpty())
        lines << QStringLiteral("#SBATCH --time=%1").arg(options.time);
    if (!options.partition.isEmpty())
        lines << QStringLiteral("#SBATCH --partition=%1").arg(options.partition);
    if (!options.account.isEmpty())
        lines << QStringLiteral("#SBATCH --account=%1").arg(options.account);
    lines << QString()
          << QStringLiteral("set -euo pipefail")
          << QStringLiteral("cli=%1").arg(quote(cliPath))
          << QStringLiteral("cell=%1/cell-\"${SLURM_ARRAY_TASK_ID:-0}\"").arg(quote(jobDir))
          << QStringLiteral("export TS_DIST_MASTER_ADDR=\"$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" | head -n 1)\"")
          << QStringLiteral("export TS_DIST_MASTER_PORT=$((%1 + SLURM_JOB_ID % %2))").arg(kPortBase).arg(kPortSpan)
          << QStringLiteral("export TS_PROGRESS_JSONL=\"$cell/progress.jsonl\"")
          << QStringLiteral("# Threads per rank: the CPUs Slurm gave each task.")
          << QStringLiteral("export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-1}\"")
          << QStringLiteral("while read -r run; do")
          << QStringLiteral("    # A resubmitted job skips the runs it finished before (done-ID) and resumes the others")
          << QStringLiteral("    # from their last checkpoint.")
          << QStringLiteral("    [ -n \"$run\" ] && [ ! -e \"$cell/done-$run\" ] || continue")
          << QStringLiteral("    # A rank that fails ends the step (--kill-on-bad-exit) and so the job.")
          << QStringLiteral("    srun --kill-on-bad-exit=1 bash -c 'export TS_DIST_RANK=\"$SLURM_PROCID\" "
                            "TS_DIST_WORLD_SIZE=\"$SLURM_NTASKS\"; exec \"$0\" resume \"$1\" --run \"$2\"' \\")
          << QStringLiteral("        \"$cli\" \"$cell/job.tstudio\" \"$run\"")
          << QStringLiteral("    touch \"$cell/done-$run\"")
          << QStringLiteral("done < \"$cell/runs.txt\"")
          << QString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace ts

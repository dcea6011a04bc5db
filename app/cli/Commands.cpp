#include "CliCommand.h"

#include "BenchmarkCommand.h"
#include "CompactCommand.h"
#include "CorpusCommands.h"
#include "DemoCommand.h"
#include "EditCommands.h"
#include "GenerateCommand.h"
#include "MergeCommand.h"
#include "ModelCommands.h"
#include "ProjectCommands.h"
#include "ResultCommands.h"
#include "RunCommands.h"
#include "SlurmCommands.h"

namespace ts::cli {

const QList<CliCommand> &commands()
{
    static const QList<CliCommand> all = {
        {"demo", "Run a complete transfer experiment on the embedded sample corpora.", &runDemo},
        {"create", "Create an empty project file.", &runCreate},
        {"info", "Show a project's format version and contents.", &runInfo},
        {"import", "Import a CSV, TSV, JSONL, text file or label folder into a corpus.", &runImport},
        {"corpora", "List a project's corpora: documents per split, labels.", &runCorpora},
        {"stats", "Report how far apart a source and a target corpus are.", &runStats},
        {"add-model", "Register a Hugging Face model folder or build a built-in model.", &runAddModel},
        {"models", "List a project's models: size, vocabulary, training memory.", &runModels},
        {"tokenize", "Show how a model's tokenizer splits a text.", &runTokenize},
        {"hf-cache", "List the models in the Hugging Face cache.", &runHfCache},
        {"strategies", "List the transfer strategies and their options.", &runStrategies},
        {"run", "Train with a transfer strategy; print source and target metrics.", &runRun},
        {"benchmark", "Run strategies x pairs x seeds as one group; print the mean ± std table (--csv, --latex).",
         &runBenchmark},
        {"resume", "Continue a stopped or interrupted run from its checkpoint.", &runResume},
        {"runs", "List a project's runs with their results, baselines and warnings (--json).", &runRuns},
        {"predictions", "Print a run's stored test predictions (--errors, --csv).", &runPredictions},
        {"predict", "Apply a finished run's model to a file or a corpus split; write a CSV.", &runPredict},
        {"generate", "Continue a text with a decoder or a run's language model, streamed to stdout.", &runGenerate},
        {"compare", "Compare runs: seed groups with mean, std, 95% interval; paired differences.", &runCompare},
        {"metrics", "Print every metric value of a run (--csv).", &runMetrics},
        {"export", "Write a trained run's model as a Hugging Face folder.", &runExport},
        {"delete", "Delete a run, group, corpus or model with what goes with it (--yes).", &runDelete},
        {"rename", "Rename a run, group, corpus or model (--to NEW).", &runRename},
        {"compact", "Return a project's free space to the disk (a verified copy renamed over it).", &runCompact},
        {"submit", "Submit a run or a benchmark matrix to a Slurm cluster (--slurm).", &runSubmit},
        {"jobs", "List a project's Slurm jobs and their states.", &runJobs},
        {"cancel", "Cancel a Slurm job of the project (--job ID).", &runCancel},
        {"resubmit", "Submit a cancelled, timed-out or failed Slurm job again from its checkpoints (--job ID).",
         &runResubmit},
        {"collect", "Merge the runs of ended Slurm jobs back into the project.", &runCollect},
        {"merge", "Copy runs of another project with their corpora, models and results (--from OTHER).", &runMerge},
    };
    return all;
}

} // namespace ts::cli
